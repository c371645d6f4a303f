(()=>{
'use strict';
const d=document,de=d.documentElement,G=window.GUIDEBOOK||{},ds=de.dataset;
const BOOK=ds.book||G.book||'book',ROOT=ds.root||'',PAGE=ds.page||'';
const CH=G.chapters||[],WS=G.worksheets||[],CL=G.checklists||[],P='guidebook:'+BOOK+':',F='input,select,textarea';
const $=(s,r=d)=>r.querySelector(s),$$=(s,r=d)=>[...r.querySelectorAll(s)];
const el=(t,c,x)=>{const e=d.createElement(t);if(c)e.className=c;if(x!=null)e.textContent=x;return e;};

// Storage: every read and write of the reader's data goes through these functions, so that a
// browser without storage, a full storage or an unreadable value is noticed, shown on the page
// and never made worse.
const storageProblems=new Map();
// Unreadable values by key (without the book prefix), kept so that exports still carry them.
const unreadable={};
function showStorageProblems(){
 let box=$('.storage-warning');
 if(!box){
  box=el('div','storage-warning');attr(box,'role','alert');
  ($('#content')||d.body).prepend(box);
 }
 box.replaceChildren(...[...storageProblems.values()].map(m=>el('p','',m)));
}
function noteStorageProblem(kind,message){
 if(storageProblems.get(kind)===message)return;
 storageProblems.set(kind,message);
 if(d.body)showStorageProblems();else on(d,'DOMContentLoaded',showStorageProblems);
}
const isQuotaError=e=>e&&(e.name=='QuotaExceededError'||e.code==22);
function readRaw(key){
 try{return localStorage.getItem(key);}
 catch(e){noteStorageProblem('unavailable','你的回答没有被保存：这个浏览器不允许网页使用本地存储（可能开着隐私模式，或禁用了网站数据）。关闭本页后，填写的内容会丢失。');return null;}
}
function writeRaw(key,value){
 try{value==null?localStorage.removeItem(key):localStorage.setItem(key,value);return true;}
 catch(e){
  if(isQuotaError(e))noteStorageProblem('full','你的回答没有被保存：浏览器的本地存储已满。请先导出备份，再清理浏览器里其他网站的数据。');
  else noteStorageProblem('unavailable','你的回答没有被保存：这个浏览器不允许网页使用本地存储（可能开着隐私模式，或禁用了网站数据）。关闭本页后，填写的内容会丢失。');
  return false;
 }
}
// An unreadable value is moved aside under `corrupt:<time>:<key>` before anything is saved in
// its place; if that fails, saving under its key stops (see `save`).
function keepUnreadable(key,text){
 if(unreadable[key]===text)return;
 unreadable[key]=text;
 const aside=P+'corrupt:'+Date.now()+':'+key;
 const moved=writeRaw(aside,text)&&writeRaw(P+key,null);
 noteStorageProblem('corrupt:'+key,moved
  ?`本机保存的「${key}」数据已损坏，无法读取。原内容已另存为 ${aside}，导出备份时会一并带上。`
  :`本机保存的「${key}」数据已损坏，无法读取，也无法另存，所以对它的修改暂不保存。请先导出备份。`);
}
function load(key){
 const text=readRaw(P+key);
 if(text==null)return{};
 try{const v=JSON.parse(text);if(isObj(v))return v;}catch(e){/* unreadable: kept aside below */}
 keepUnreadable(key,text);
 return{};
}
function save(key,value){
 // The unreadable value could not be moved aside: never write over it.
 if(key in unreadable&&readRaw(P+key)===unreadable[key])return false;
 return writeRaw(P+key,value&&JSON.stringify(value));
}
const store=writeRaw,raw=readRaw;
const storageStatus=()=>[...storageProblems.values()].join(' ');
const stamp=t=>t.toLocaleString('sv').slice(0,16),hm=t=>stamp(t).slice(11);
const txt=e=>e?e.textContent.trim().replace(/\s+/g,' '):'';
const isArr=Array.isArray,isEmpty=v=>isArr(v)?!v.length:v==null||String(v).trim()=='';
const isObj=o=>!!o&&typeof o=='object'&&!isArr(o);
const attr=(e,k,v)=>e&&e.setAttribute(k,v);
const on=(e,t,f,o)=>e&&e.addEventListener(t,f,o);
const cls=(k,o)=>de.classList.toggle(k,o);
const download=(name,text,type)=>{
 const a=el('a');
 a.href=URL.createObjectURL(new Blob([text],{type:type+';charset=utf-8'}));
 a.download=name;d.body.append(a);a.click();a.remove();
 setTimeout(()=>URL.revokeObjectURL(a.href),1e3);
};

//theme
const tt=$('#theme-toggle'),dark=matchMedia('(prefers-color-scheme: dark)');
const isDark=()=>(ds.theme||(dark.matches?'dark':'light'))=='dark';
const paintTheme=()=>attr(tt,'aria-pressed',isDark());
on(tt,'click',()=>{ds.theme=isDark()?'light':'dark';store('guidebook:theme',ds.theme);paintTheme();});
on(dark,'change',paintTheme);paintTheme();

//sidebar
const sb=$('#sidebar'),sbt=$('#sidebar-toggle'),wide=matchMedia('(min-width: 60rem)'),scopes=new Map();
CH.forEach(c=>(c.checklists=c.checklists||[]).forEach(s=>s.items&&scopes.set(s.scope,s.items)));
CL.forEach(l=>scopes.set(l.scope,l.items||[]));
const tally=(list,ck)=>list.reduce(([a,b],s)=>{
 const it=scopes.get(s)||[],c=ck[s]||{};
 return[a+it.filter(i=>c[i]).length,b+it.length];
},[0,0]);
let cur;
if(sb&&G.toc){
 sb.insertAdjacentHTML('beforeend',G.toc);
 $$('a[href]',sb).forEach(a=>{
  const h=a.getAttribute('href'),p=a.dataset.path=a.dataset.path||decodeURI(h);
  if(!/^([a-z]+:|#|\/)/i.test(h))a.setAttribute('href',ROOT+h);
  if(p==PAGE)attr(a,'aria-current','page');
 });
 cur=$('[aria-current=page]',sb);
 $$('li.toc-chapter',sb).forEach(li=>{
  const sub=$(':scope>ol',li),b=el('button','toc-fold'),set=o=>{attr(b,'aria-expanded',o);li.classList.toggle('folded',!o);};
  if(!sub)return;
  b.type='button';attr(b,'aria-label','子章节');
  set(!!$('[aria-current]',li));
  b.onclick=()=>set(b.getAttribute('aria-expanded')!='true');
  li.classList.add('has-sub');sub.before(b);
 });
 if(cur)sb.scrollTop=cur.getBoundingClientRect().top-sb.getBoundingClientRect().top-sb.clientHeight/2;
}
const tocMarks=(read,ck)=>CH.forEach(c=>{
 const a=sb&&$(`a[data-path="${CSS.escape(c.path)}"]`,sb),[x,y]=tally(c.checklists.map(s=>s.scope),ck);
 if(!a)return;
 const m=$('.toc-meta',a)||a.appendChild(el('span','toc-meta'));
 m.replaceChildren();
 if(read[c.path]){const r=el('span','toc-read','✓');attr(r,'aria-hidden',true);m.append(r,el('span','visually-hidden','已读'));}
 if(y)m.append(el('span','toc-count',x+'/'+y));
});
const drawerOpen=()=>de.classList.contains('drawer-open');
const paintSb=()=>attr(sbt,'aria-expanded',wide.matches?!de.classList.contains('sidebar-hidden'):drawerOpen());
const drawer=o=>{cls('drawer-open',o);paintSb();if(o)(cur||sb&&$('a,button',sb))?.focus({preventScroll:true});};
cls('sidebar-hidden',raw('guidebook:sidebar')=='hidden');
on(sbt,'click',()=>{
 if(!wide.matches)return drawer(!drawerOpen());
 store('guidebook:sidebar',cls('sidebar-hidden')?'hidden':null);paintSb();
});
on(wide,'change',()=>drawer(false));
paintSb();
on(d,'click',e=>{if(drawerOpen()&&!e.target.closest('#sidebar,#sidebar-toggle'))drawer(false);});

//keyboard
on(d,'keydown',e=>{
 const t=e.target,k=e.key;
 if(k=='Escape'&&drawerOpen()){drawer(false);sbt.focus();return;}
 if(e.defaultPrevented||e.ctrlKey||e.metaKey||e.altKey||e.isComposing||t.isContentEditable||t.closest?.(F+',dialog,pre,table'))return;
 if((k=='ArrowLeft'||k=='ArrowRight')&&!e.shiftKey){
  const a=$(`a[rel=${k=='ArrowLeft'?'prev':'next'}]`);
  if(a)location.href=a.href;
 }else if(k=='/'||k=='s'){e.preventDefault();openSearch();}
});

//on-page toc
const spots=$$('.page-toc a[href^="#"]').map(a=>[a,d.getElementById(decodeURIComponent(a.hash.slice(1)))]).filter(p=>p[1]);
if(spots.length&&window.IntersectionObserver){
 const spy=()=>{
  let c;
  for(const[a,h]of spots)if(h.getBoundingClientRect().top<innerHeight*.3)c=a;
  spots.forEach(([a])=>a==c?attr(a,'aria-current','location'):a.removeAttribute('aria-current'));
 };
 for(const m of['0px','0px 0px -70%']){const io=new IntersectionObserver(spy,{rootMargin:m});spots.forEach(p=>io.observe(p[1]));}
}

//checklists
const lists=$$('.checklist');
// Counters and reset buttons only work with this script, so it adds them.
lists.forEach(l=>{
 const b=el('div','checklist-bar'),c=el('span','checklist-count'),r=el('button','checklist-reset','重置');
 attr(c,'aria-live','polite');r.type='button';b.append(c,' ',r);l.prepend(b);
});
let checks=load('checks');
const paintChecks=()=>{
 const seen={};
 lists.forEach(l=>$$('input[data-item]',l).forEach(i=>{
  const s=l.dataset.scope;
  i.checked=!!(checks[s]||{})[i.dataset.item];(seen[s]=seen[s]||new Set()).add(i.dataset.item);
 }));
 lists.forEach(l=>{
  const s=l.dataset.scope,c=checks[s]||{},all=[...seen[s]||[]];
  $('.checklist-count',l)?.replaceChildren(el('span','visually-hidden','已完成 '),all.filter(i=>c[i]).length+'/'+all.length);
 });
};
const setChecks=f=>{checks=load('checks');f();save('checks',checks);paintChecks();progress();};
paintChecks();
on(d,'change',e=>{
 const i=e.target,l=i.closest('.checklist'),s=l?.dataset.scope;
 if(l&&i.dataset.item)setChecks(()=>{
  const c=checks[s]=checks[s]||{};
  if(i.checked)c[i.dataset.item]=true;else delete c[i.dataset.item];
  if(!Object.keys(c).length)delete checks[s];
 });
});
on(d,'click',e=>{
 const s=e.target.closest('.checklist-reset')?.closest('.checklist').dataset.scope;
 if(s&&confirm('清除这份清单的全部勾选吗？'))setChecks(()=>delete checks[s]);
});

// On print.html one label id can appear in several chapters, and a label's `for` then names the
// first control with that id in the page: a label always acts on the control of its own item.
on(d,'click',e=>{
 const label=e.target.closest('label'),own=label?.closest('.checklist li.task,form.worksheet .field');
 if(!own||!label.htmlFor||!label.control||own.contains(label.control)||e.target.closest('a'))return;
 const control=$$('[id]',own).find(x=>x.id==label.htmlFor);
 if(!control)return;
 e.preventDefault();
 if(control.type=='checkbox'||control.type=='radio')control.click();else control.focus();
});

//worksheets
const ctrls=b=>b.matches(F)?[b]:$$(F,b);
const getC=b=>{
 const c=ctrls(b),f=c[0]||{};
 return f.type=='checkbox'?c.filter(x=>x.checked).map(x=>x.value):f.multiple?[...f.selectedOptions].map(o=>o.value).filter(Boolean)
  :f.type=='radio'?(c.find(x=>x.checked)||{}).value||'':f.value||'';
};
const setC=(b,v)=>{
 const c=ctrls(b),f=c[0];
 if(!f)return;
 if(f.type=='checkbox')c.forEach(x=>x.checked=isArr(v)&&v.includes(x.value));
 else if(f.type=='radio')c.forEach(x=>x.checked=x.value===String(v));
 else if(f.multiple)[...f.options].forEach(o=>o.selected=isArr(v)&&v.includes(o.value));
 else{
  v=v==null?'':isArr(v)?v.join('\n'):String(v);
  if(f.tagName=='SELECT'&&v&&![...f.options].some(o=>o.value==v))f.add(new Option(v,v));
  f.value=v;
 }
};
const getF=f=>f.dataset.type!='rows'?getC(f):$$('tbody tr',f).map(tr=>{
 const o=Object.assign({},tr._d);
 $$('[data-col]',tr).forEach(c=>o[c.dataset.col]=getC(c));
 return o;
}).filter(o=>Object.values(o).some(v=>!isEmpty(v)));
let uid=0;
const addRow=(f,data)=>{
 const tr=$('template.ws-row-template',f).content.firstElementChild.cloneNode(true),u='-r'+ ++uid;
 $$('[name]',tr).forEach(x=>x.name+=u);
 $$('[id]',tr).forEach(x=>{$$(`[for="${x.id}"]`,tr).forEach(l=>l.htmlFor=x.id+u);x.id+=u;});
 $('tbody',f).append(tr);
 if(isObj(data)){tr._d=data;$$('[data-col]',tr).forEach(c=>setC(c,data[c.dataset.col]));}
 return tr;
};
const setF=(f,v)=>{
 if(f.dataset.type!='rows')return setC(f,v);
 $('tbody',f).replaceChildren();
 (isArr(v)&&v.length?v:[0]).forEach(r=>addRow(f,r));
};
const flushers=[],flushAll=()=>flushers.forEach(f=>f());
$$('form.worksheet').forEach(form=>{
 const tb=el('div','ws-toolbar'),st=el('span','ws-status'),h=$('header',form);
 attr(st,'role','status');attr(st,'aria-live','polite');tb.append(st);
 for(const[a,t]of[['export-md','导出 Markdown'],['export-json','导出 JSON'],['import-json','导入 JSON'],['print','打印'],['clear','清空']]){
  const b=el('button','',t);b.type='button';b.dataset.action=a;tb.append(' ',b);
 }
 h?h.after(tb):form.prepend(tb);
 const id=form.dataset.worksheet,key='ws:'+id;
 const fields=()=>$$('.field[data-field]',form);
 const status=s=>st.textContent=s;
 let timer=0;
 // Only the fields this tab changed are written, over what is stored now: another tab's answers survive.
 const dirty=new Set();
 const flush=()=>{
  if(!timer)return;
  clearTimeout(timer);timer=0;
  const now=new Date(),o=Object.assign({},load(key).fields);
  fields().forEach(f=>{if(dirty.has(f.dataset.field))o[f.dataset.field]=getF(f);});
  dirty.clear();
  status(save(key,{v:1,updated:now.toISOString(),fields:o})?'已保存 '+hm(now):'没有保存：'+(storageStatus()||'浏览器拒绝了本地存储'));
  progress();
 };
 const later=()=>{status('正在保存…');clearTimeout(timer);timer=setTimeout(flush,400);};
 const mark=e=>{const f=e.target.closest('.field[data-field]');if(f)dirty.add(f.dataset.field);later();};
 const fill=()=>{
  const s=load(key),v=isObj(s.fields)?s.fields:{};
  fields().forEach(f=>{const x=v[f.dataset.field];if(x!==undefined||f.dataset.type=='rows')setF(f,x);});
  status(s.updated?'已保存 '+stamp(new Date(s.updated)):'自动保存在本机浏览器');
 };
 const ctx={form,id,key,flush,fill,status};
 const acts={
  'export-md':()=>more('tools',T=>T.exportMd(ctx)),
  'export-json':()=>more('tools',T=>T.exportJson(ctx)),
  'import-json':()=>more('tools',T=>T.importJson(ctx)),
  print:()=>{flush();print();},
  clear:()=>{
   if(!confirm('清空这张工作表的全部回答吗？此操作无法撤销。'))return;
   clearTimeout(timer);timer=0;save(key);form.reset();fill();status('已清空');progress();
  }
 };
 fill();
 $$('.ws-row-add',form).forEach(b=>b.hidden=false);
 on(form,'input',mark);on(form,'change',mark);
 on(window,'storage',e=>{if(e.key==P+key&&!timer)fill();});
 on(form,'submit',e=>e.preventDefault());
 on(form,'click',e=>{
  const b=e.target.closest('button'),fd=b?.closest('.field');
  if(!b)return;
  if(b.matches('.ws-row-add')){$(F,addRow(fd))?.focus();mark(e);}
  else if(b.matches('.ws-row-remove')){
   const tr=b.closest('tr'),nx=tr.nextElementSibling||tr.previousElementSibling;
   (nx&&$(F,nx)||$('.ws-row-add',fd))?.focus();
   mark(e);tr.remove();
  }else acts[b.dataset.action]?.();
 });
 flushers.push(flush);
});
on(window,'pagehide',flushAll);
on(window,'beforeprint',()=>{flushAll();$$('textarea').forEach(t=>{t.style.height='auto';t.style.height=t.scrollHeight+'px';});});
on(window,'afterprint',()=>$$('textarea').forEach(t=>t.style.height=''));

//book-level data
on(d,'click',e=>{
 const b=e.target.closest('[data-action]'),a=b?.dataset.action;
 if(!b||b.closest('form.worksheet'))return;
 if(a=='open-search')openSearch();
 if(/^(ex|im)port-book/.test(a)){flushAll();more('tools',T=>T[a]());}
 if(a=='reset-progress'&&confirm('将清除本书的阅读进度（已读标记）和所有清单勾选，工作表的回答不受影响。确定吗？')){
  save('read');save('checks');location.reload();
 }
});

//reading progress
const mr=$('.mark-read'),end=$('#chapter-end'),rp=mr?.dataset.page||PAGE;
let auto=true;
const paintRead=()=>{const r=!!load('read')[rp];attr(mr,'aria-pressed',r);mr.textContent=r?'已读 ✓':'标记为已读';};
const setRead=v=>{const r=load('read');if(v)r[rp]=true;else delete r[rp];save('read',r);paintRead();progress();};
if(mr){
 mr.hidden=false;paintRead();
 mr.onclick=()=>{auto=false;setRead(mr.getAttribute('aria-pressed')!='true');};
 if(end&&window.IntersectionObserver){
  let seen=false,moved=false;
  const chk=()=>{if(auto&&seen&&(moved||de.scrollHeight<=innerHeight+2)){auto=false;if(!load('read')[rp])setRead(true);}};
  new IntersectionObserver(es=>{seen=es[es.length-1].isIntersecting;chk();}).observe(end);
  on(window,'scroll',()=>{moved=true;chk();},{once:true,passive:true});
 }
}

//progress widgets
const filled=w=>{const f=load('ws:'+w.id).fields||{};return(w.fields||[]).filter(x=>!isEmpty(f[x])).length;};
function progress(){
 const read=load('read'),ck=load('checks'),box=$('#reader-progress');
 tocMarks(read,ck);
 if(box){
  const ul=$('.progress-stats',box)||($('.progress-figures',box)||box).appendChild(el('ul','progress-stats'));
  ul.replaceChildren(...[
   ['已读章节',CH.filter(c=>c.numbered&&read[c.path]).length,CH.filter(c=>c.numbered).length],
   ['已完成的清单项',...tally([...scopes.keys()],ck)],
   ['已开始的工作表',WS.filter(filled).length,WS.length]
  ].map(([l,a,b])=>{
   const li=el('li'),p=el('progress');
   p.max=b||1;p.value=a;attr(p,'aria-hidden',true);
   li.append(l+' ',el('strong','',a+'/'+b),p);
   return li;
  }));
  box.hidden=false;
 }
 $$('[data-worksheet-progress]').forEach(e=>{
  const w=WS.find(w=>w.id==e.dataset.worksheetProgress);
  if(w){e.textContent=`已填 ${filled(w)}/${(w.fields||[]).length} 项`;e.hidden=false;}
 });
 $$('[data-checklist-progress]').forEach(e=>{e.textContent=tally([e.dataset.checklistProgress],ck).join('/');e.hidden=false;});
}
progress();

//search
//modules loaded on first use: search, export and import
function script(src,name,ok,fail){
 if(window[name])return ok(window[name]);
 const s=el('script');
 s.src=ROOT+src;s.onload=()=>window[name]?ok(window[name]):s.onerror();s.onerror=()=>{s.remove();fail&&fail();};
 d.head.append(s);
}
const more=(m,ok)=>script((G.scripts||{})[m],'GB_'+m,ok,()=>alert('无法加载所需的脚本'));
window.GB={d,$,$$,el,attr,on,load,save,readRaw,writeRaw,unreadable,stamp,hm,txt,isArr,isEmpty,isObj,download,script,flushAll,progress,BOOK,ROOT,G,CH,P};
const dlg=$('#search-dialog');
function openSearch(){
 if(!dlg)return;
 if(!dlg.open)dlg.showModal();
 $('#search-input')?.focus();
 more('search',S=>S.open());
}
on($('#search-toggle'),'click',openSearch);
})();

