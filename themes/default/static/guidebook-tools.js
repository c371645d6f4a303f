(()=>{
'use strict';
// Export and import, loaded the first time a reader uses them.
const{d,$,$$,el,load,save,stamp,hm,txt,isArr,isEmpty,isObj,download,script,flushAll,progress,BOOK,G,P}=window.GB;
const mdVal=(v,f)=>{
 if(isEmpty(v))return'（未填写）';
 if(!isArr(v))return String(v);
 if(!v.every(isObj))return v.map(x=>'- '+x).join('\n');
 const cols=f.columns?.length?f.columns:Object.keys(Object.assign({},...v)).map(id=>({id,label:id}));
 const cell=x=>(isArr(x)?x.join('、'):x==null?'':String(x)).replace(/\|/g,'\\|').replace(/\s*\n\s*/g,' ');
 const line=a=>'| '+a.join(' | ')+' |';
 return[line(cols.map(c=>cell(c.label))),line(cols.map(()=>'---')),...v.map(r=>line(cols.map(c=>cell(r[c.id]))))].join('\n');
};
const wsMd=(id,title,secs,vals,lv)=>{
 const h=n=>'#'.repeat(Math.min(lv+n,6))+' ',out=[h(0)+title],known=new Set();
 const sec=(t,fs)=>{
  if(t)out.push(h(1)+t);
  fs.forEach(f=>{known.add(f.id);out.push(h(t?2:1)+f.label,mdVal(vals[f.id],f));});
 };
 secs.forEach(s=>sec(s.title,s.fields));
 const rest=Object.keys(vals).filter(k=>!known.has(k)&&!isEmpty(vals[k]));
 if(rest.length)sec('其他已保存的回答',rest.map(k=>({id:k,label:k})));
 return out.join('\n\n');
};
const exp=(ws,all)=>JSON.stringify({
 format:'guidebook-export',version:1,book:BOOK,exported:new Date().toISOString(),
 checks:all?load('checks'):{},read:all?load('read'):{},worksheets:ws
},null,2);
const wsAll=()=>{
 const o={};
 try{
  for(let i=0;i<localStorage.length;i++){
   const k=localStorage.key(i),v=k.startsWith(P+'ws:')&&load(k.slice(P.length));
   if(v&&isObj(v.fields))o[k.slice(P.length+3)]={fields:v.fields};
  }
 }catch(e){/*no storage*/}
 return o;
};
const pick=cb=>{
 const i=el('input');
 i.type='file';i.accept='.json,application/json';
 i.onchange=async()=>{
  let o;
  try{o=JSON.parse(await i.files[0].text());}catch(e){return alert('无法导入：不是有效的 JSON 文件。');}
  const err=!isObj(o)||o.format!='guidebook-export'?'格式不对':o.version!=1?'版本不支持'
   :o.book!=BOOK?'这是另一本书的数据':!isObj(o.worksheets)?'内容不完整':'';
  err?alert('无法导入：'+err+'。'):cb(o);
 };
 i.click();
};
// Imported keys never reach an object's prototype.
const clean=o=>Object.fromEntries(Object.entries(o).filter(([k])=>k!='__proto__'));
const apply=(ws,o)=>{
 let n=0;
 const todo=[],t=new Date().toISOString();
 for(const[id,w]of Object.entries(ws)){
  if(!isObj(w?.fields))continue;
  const c=load('ws:'+id).fields||{};
  for(const[k,v]of Object.entries(w.fields))if(!isEmpty(c[k])&&JSON.stringify(c[k])!=JSON.stringify(v))n++;
  todo.push([id,Object.assign({},c,clean(w.fields))]);
 }
 if(n&&!confirm(`导入会覆盖 ${n} 个与现有内容不同的回答。继续吗？`))return false;
 todo.forEach(([id,f])=>save('ws:'+id,{v:1,updated:t,fields:f}));
 if(o){
  const c=load('checks');
  if(isObj(o.checks))for(const[s,m]of Object.entries(clean(o.checks)))if(isObj(m))c[s]=Object.assign(c[s]||{},clean(m));
  save('checks',c);
  if(isObj(o.read))save('read',Object.assign(load('read'),clean(o.read)));
 }
 return true;
};

const bookMd=D=>{
 const read=load('read'),ck=load('checks'),ws=wsAll(),out=[`# ${G.title||BOOK}：我的记录`,'导出时间：'+stamp(new Date()),'## 阅读进度'];
 out.push(D.chapters.map(c=>`- [${read[c.path]?'x':' '}] ${c.number?c.number+' ':''}${c.title}`).join('\n'),'## 清单');
 [...D.pageChecklists,...D.checklists].forEach(l=>out.push('### '+l.title,l.items.map(i=>`- [${(ck[l.scope]||{})[i.id]?'x':' '}] ${i.text}`).join('\n')));
 out.push('## 工作表');
 D.worksheets.forEach(w=>{const v=ws[w.id]?.fields;if(v&&Object.values(v).some(x=>!isEmpty(x)))out.push(wsMd(w.id,w.title,w.sections,v,3));});
 Object.keys(ws).filter(id=>!D.worksheets.some(w=>w.id==id)).forEach(id=>out.push(wsMd(id,id,[],ws[id].fields,3)));
 return out.join('\n\n')+'\n';
};
const day=()=>BOOK+'-'+stamp(new Date()).slice(0,10);
window.GB_tools={
 exportMd(c){
  c.flush();
  const secs=$$('.ws-section',c.form).map(s=>({title:txt($(':scope>legend',s)),
   fields:$$('.field[data-field]',s).map(f=>({id:f.dataset.field,label:txt($(':scope>label,:scope>legend,caption',f))}))}));
  download(c.id+'.md',wsMd(c.id,txt($('header>:first-child',c.form))||c.id,secs,load(c.key).fields||{},1)+'\n\n导出时间：'+stamp(new Date())+'\n','text/markdown');
 },
 exportJson(c){c.flush();download(c.id+'.json',exp({[c.id]:{fields:load(c.key).fields||{}}}),'application/json');},
 importJson:c=>pick(o=>{
  if(!o.worksheets[c.id])return alert('这个文件里没有这张工作表的回答。');
  c.flush();
  if(apply({[c.id]:o.worksheets[c.id]})){c.fill();c.status('已导入 '+hm(new Date()));progress();}
 }),
 'export-book-json':()=>download(day()+'.json',exp(wsAll(),1),'application/json'),
 'export-book-md':()=>script(G.dataScript,'GUIDEBOOK_DATA',D=>download(day()+'.md',bookMd(D),'text/markdown'),()=>alert('无法加载导出所需的数据')),
 'import-book-json':()=>pick(o=>{flushAll();if(apply(o.worksheets,o)){alert('导入完成。');location.reload();}})
};
})();
