(()=>{
'use strict';
// The search dialog, loaded the first time a reader opens it; the index loads with it.
const{d,$,$$,el,attr,on,script,ROOT,G}=window.GB;
const dlg=$('#search-dialog'),sin=$('#search-input'),sres=$('#search-results'),sst=$('#search-status');
const CJK='\\u3400-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2ffff}';
const TOK=new RegExp(`([${CJK}]+)|((?:(?![${CJK}])[\\p{Alpha}\\p{N}])+)`,'gu');
let idx,loading,active=-1,qt=0;
const lows=[],opts=()=>$$('[role=option]',sres),esc=s=>s.replace(/[.*+?^${}()|[\]\\]/g,'\\$&');
const search=q=>{
 const runs=[],words=[],needles=[],res=[],cnt=(h,n)=>h.split(n).length-1;
 for(const[,c,w]of q.toLowerCase().matchAll(TOK)){
  if(c)runs.push(c);else words.push(new RegExp('(?<![\\p{L}\\p{N}])'+esc(w),'u'));
  needles.push(c||w);
 }
 if(needles.length)idx.docs.forEach((D,i)=>{
  const[st,tx]=lows[i]=lows[i]||[D[2].toLowerCase(),D[3].toLowerCase()],all=st+'\n'+tx,pt=(idx.pages[D[0]]||[])[1]?.toLowerCase()||'';
  if(runs.every(r=>all.includes(r))&&words.every(re=>re.test(all)))res.push([i,needles.reduce((s,n)=>s+cnt(tx,n)+(st.includes(n)?20:0)+(pt.includes(n)?10:0),0)]);
 });
 // No section holds the Chinese words side by side: rank by how many of their character pairs it holds.
 if(!res.length&&runs.length){
  const pairs=[...new Set(runs.flatMap(r=>{const a=[...r];return a.length<2?a:a.slice(1).map((c,i)=>a[i]+c);}))];
  idx.docs.forEach((D,i)=>{
   const[st,tx]=lows[i],all=st+'\n'+tx,hit=pairs.filter(p=>all.includes(p));
   if(hit.length*2>=pairs.length&&words.every(re=>re.test(all)))res.push([i,hit.length*100+hit.reduce((s,p)=>s+cnt(tx,p)+(st.includes(p)?20:0),0)]);
  });
  needles.splice(0,needles.length,...pairs,...needles.filter(n=>!runs.includes(n)));
 }
 return[res.sort((a,b)=>b[1]-a[1]||a[0]-b[0]),needles];
};
const hl=(e,s,re)=>{
 let at=0;
 for(const m of s.matchAll(re)){e.append(s.slice(at,m.index),el('mark','',m[0]));at=m.index+m[0].length;}
 e.append(s.slice(at));
};
const snip=(s,re)=>{
 const a=Math.max(0,s.search(re)-30);
 return(a?'…':'')+s.slice(a,a+80)+(a+80<s.length?'…':'');
};
const setActive=n=>{
 const o=opts();
 active=n;
 o.forEach((x,j)=>attr(x,'aria-selected',j==n));
 if(o[n]){attr(sin,'aria-activedescendant',o[n].id);o[n].scrollIntoView({block:'nearest'});}else sin.removeAttribute('aria-activedescendant');
};
const run=()=>{
 const q=sin.value.trim(),[r,needles]=idx&&q?search(q):[[]];
 sres.replaceChildren();setActive(-1);attr(sin,'aria-expanded',!!r.length);
 if(!idx)return;
 sst.textContent=!q?'':r.length?`找到 ${r.length} 条结果`+(r.length>20?'，显示前 20 条':''):'没有找到';
 if(!r.length)return;
 const re=new RegExp(needles.sort((a,b)=>b.length-a.length).map(esc).join('|'),'giu');
 r.slice(0,20).forEach(([i],n)=>{
  const[pi,anc,st,tx]=idx.docs[i],[path,pt]=idx.pages[pi],li=el('li'),a=el('a'),t=el('span','sr-title'),sn=el('span','sr-snippet');
  attr(li,'role','none');attr(a,'role','option');a.id='sr-'+n;a.tabIndex=-1;
  a.href=ROOT+path+(anc?'#'+anc:'');
  hl(t,st&&st!=pt?pt+' › '+st:pt,re);hl(sn,snip(tx,re),re);
  a.append(t,sn);li.append(a);sres.append(li);
 });
};
const open=()=>{
 sin.focus();sin.select();
 if(idx||loading||!G.searchIndex)return;
 loading=1;sst.textContent='正在加载搜索索引…';
 script(G.searchIndex,'GUIDEBOOK_SEARCH',x=>{idx=x;run();},()=>{loading=0;sst.textContent='搜索索引加载失败';});
};
if(dlg&&sin&&sres){
 for(const[k,v]of[['role','combobox'],['aria-autocomplete','list'],['aria-expanded',false]])attr(sin,k,v);
 attr(sres,'role','listbox');
 on(sin,'input',()=>{clearTimeout(qt);qt=setTimeout(()=>{qt=0;run();},100);});
 on(sin,'keydown',e=>{
  const k=e.key,n=opts().length;
  if(k=='ArrowDown'||k=='ArrowUp'){
   e.preventDefault();
   if(n)setActive(k=='ArrowDown'?Math.min(active+1,n-1):Math.max(active-1,0));
  }else if(k=='Enter'){
   e.preventDefault();
   if(qt){clearTimeout(qt);qt=0;run();}
   const o=opts()[Math.max(active,0)];
   if(o){dlg.close();location.href=o.href;}
  }
 });
 on(sres,'click',e=>{if(e.target.closest('a'))dlg.close();});
 on(dlg,'click',e=>{if(e.target==dlg)dlg.close();});
}
window.GB_search={open};
})();
