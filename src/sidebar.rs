//! The sidebar, kept light at any size: a page carries the book's top level (parts and the
//! chapters outside them) around its own place, with its own part's entries around its chapter.
//! Every other run of entries is a chunk, a small script (`toc/HASH/N.js`) the theme loads when
//! a reader opens a part or asks for more, so it also works from `file://`.
//!
//! Each chunk is rendered once through `partials/sidebar.html`; a page only joins the chunks it
//! shows and marks its own link.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use crate::book::Book;
use crate::collections::ItemRef;
use crate::config::FoldSection;
use crate::error::Diagnostic;
use crate::partials::{self, Partials};
use crate::rendered::RenderedBook;
use crate::toc::{TocNode, toc_tree};
use crate::url::{ROOT_MARKER, encode_path};

/// At most this many entries (chapters, parts, separators) in a chunk, unless one chapter's
/// sub-chapters alone are more (16 keeps a chapter page under 60 KB with the theme's icons and
/// phone styles). A page shows about two chunks: its place in the top level and
/// its place in its part. A book this small shows everything on every page.
pub const CHUNK_ENTRIES: usize = 16;

/// Where a part's own entries go in its `<li>` (the partial prints `e.contents`).
fn part_slot(part: usize) -> String {
    format!("%%gb-part-{part}%%")
}

/// One entry as `partials/sidebar.html` sees it.
#[derive(Serialize)]
struct EntryView<'a> {
    /// `part`, `separator` or `chapter`.
    kind: &'static str,
    title: &'a str,
    number: Option<&'a str>,
    /// Root-relative; `None` for a draft.
    href: Option<String>,
    /// The chapter's checklists for its mark: `=id,id` for its own task lists, `list:ID=id,id`
    /// for an embedded one.
    checks: String,
    /// Starts with its sub-chapters folded (`[output.html.fold]`).
    folded: bool,
    children: Vec<EntryView<'a>>,
    /// A part: the chunk its entries start with, and where they go when shown.
    chunk: Option<String>,
    contents: String,
}

#[derive(Serialize)]
struct ChunkView<'a> {
    entries: Vec<EntryView<'a>>,
    /// The chunks before and after this one in the same list, as strings (0 is a chunk too).
    before: Option<String>,
    after: Option<String>,
    numbers: bool,
}

/// A piece of a top-level chunk: markup, or the place of a part's entries.
enum Segment {
    Html(String),
    Part(usize),
}

/// Where a page sits: its top-level chunk, and its part with the part's chunk holding it.
#[derive(Clone, Copy, Default)]
struct Place {
    root: usize,
    part: Option<(usize, usize)>,
}

pub struct Sidebar {
    /// Top-level chunks, split where parts' entries go.
    roots: Vec<Vec<Segment>>,
    /// Each part's chunks, by chunk id.
    parts: Vec<Vec<usize>>,
    /// Every chunk's markup by id, links starting with the root marker.
    chunks: Vec<String>,
    places: HashMap<String, Place>,
    /// The whole book fits in one chunk: every part shows its entries.
    expand_all: bool,
    /// The folder of the chunk scripts, root-relative, ending in `/`.
    pub base: String,
}

/// The book's top level: chapters outside parts, separators, and parts with their entries.
enum TopItem<'a> {
    Node(TocNode<'a>),
    Part(&'a str, Vec<TocNode<'a>>),
}

fn entries(node: &TocNode) -> usize {
    1 + node.children.iter().map(entries).sum::<usize>()
}

/// Cuts items of the given sizes into runs of at most `max` entries (an item is never split).
fn runs(sizes: &[usize], max: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut total) = (0, 0);
    for (i, &size) in sizes.iter().enumerate() {
        if i > start && total + size > max {
            out.push(start..i);
            (start, total) = (i, 0);
        }
        total += size;
    }
    if start < sizes.len() || out.is_empty() {
        out.push(start..sizes.len());
    }
    out
}

/// What the sidebar needs to know of the book besides its table of contents.
struct Inputs<'a> {
    book: &'a Book,
    rendered: RenderedBook<'a>,
    fold: FoldSection,
    numbers: bool,
}

impl Inputs<'_> {
    /// `=id,id` for the chapter's own task lists, `list:ID=id,id` for each embedded checklist.
    fn checks(&self, chapter: usize) -> String {
        let r = self.rendered.chapter(chapter).rendered;
        let mut tokens = Vec::new();
        if !r.task_items.is_empty() {
            let ids: Vec<&str> = r.task_items.iter().map(|t| t.id.as_str()).collect();
            tokens.push(format!("={}", ids.join(",")));
        }
        for item in &r.embeds {
            if let ItemRef::Checklist(i) = *item {
                let list = &self.book.collections.checklists[i];
                let token = format!(
                    "{}={}",
                    crate::collections::checklist_scope(&list.id),
                    list.items
                        .iter()
                        .map(|x| x.id.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                );
                if !tokens.contains(&token) {
                    tokens.push(token);
                }
            }
        }
        tokens.join(" ")
    }

    fn entry<'a>(&self, node: &TocNode<'a>, depth: usize) -> EntryView<'a> {
        let children: Vec<EntryView> = node
            .children
            .iter()
            .map(|c| self.entry(c, depth + 1))
            .collect();
        EntryView {
            kind: node.kind,
            title: node.title,
            number: node.number,
            href: node.href.clone(),
            checks: node.chapter.map(|i| self.checks(i)).unwrap_or_default(),
            folded: self.fold.enable
                && !children.is_empty()
                && depth >= usize::from(self.fold.level),
            children,
            chunk: None,
            contents: String::new(),
        }
    }
}

/// Every chapter index under `node`, itself included.
fn chapters_in(node: &TocNode, out: &mut Vec<usize>) {
    out.extend(node.chapter);
    for child in &node.children {
        chapters_in(child, out);
    }
}

/// Each part's chunks: the runs of its entries, and the id of its first chunk.
type PartChunks = Vec<(Vec<Range<usize>>, usize)>;

/// Entries of a top-level item as it stands in the top level: a part counts as one.
fn top_size(item: &TopItem) -> usize {
    match item {
        TopItem::Node(n) => entries(n),
        TopItem::Part(..) => 1,
    }
}

/// Every entry of the book, parts' entries included.
fn total_entries(top: &[TopItem]) -> usize {
    top.iter()
        .map(|item| match item {
            TopItem::Node(n) => entries(n),
            TopItem::Part(_, nodes) => 1 + nodes.iter().map(entries).sum::<usize>(),
        })
        .sum()
}

/// Chunk ids: the top level's first (`top_chunks` of them), then each part's, in book order.
/// Returns each part's runs with its first id, and the number of chunks.
fn part_chunk_ids(top: &[TopItem], top_chunks: usize) -> (PartChunks, usize) {
    let mut next_id = top_chunks;
    let mut part_chunks = Vec::new();
    for item in top {
        if let TopItem::Part(_, nodes) = item {
            let sizes: Vec<usize> = nodes.iter().map(entries).collect();
            let r = runs(&sizes, CHUNK_ENTRIES);
            let first = next_id;
            next_id += r.len();
            part_chunks.push((r, first));
        }
    }
    (part_chunks, next_id)
}

/// The ids of the chunks before and after the `k`th of `count` chunks starting at `first`.
fn neighbours(k: usize, first: usize, count: usize) -> (Option<String>, Option<String>) {
    (
        (k > 0).then(|| (first + k - 1).to_string()),
        (k + 1 < count).then(|| (first + k + 1).to_string()),
    )
}

/// The part entry of a top-level chunk, holding the slot where its entries go.
fn part_entry<'a>(title: &'a str, first_chunk: usize, part: usize) -> EntryView<'a> {
    EntryView {
        kind: "part",
        title,
        number: None,
        href: None,
        checks: String::new(),
        folded: false,
        children: Vec::new(),
        chunk: Some(first_chunk.to_string()),
        contents: part_slot(part),
    }
}

/// The folder of the chunk scripts; hashed on their content so a new build is never mixed
/// with cached chunks of an old one.
fn chunk_base(chunks: &[String], hashed: bool) -> String {
    if hashed {
        let parts: Vec<&str> = chunks.iter().map(String::as_str).collect();
        format!("toc/{:010x}/", crate::hash::hash_strs(&parts) >> 24)
    } else {
        "toc/".to_string()
    }
}

impl Sidebar {
    pub fn build(
        rendered: RenderedBook,
        partials: &Partials,
        hashed: bool,
    ) -> Result<Sidebar, Diagnostic> {
        let book = rendered.book;
        let inputs = Inputs {
            book,
            rendered,
            fold: book.config.mdbook.fold,
            numbers: !book.config.mdbook.no_section_label,
        };
        let top = top_level(toc_tree(&book.toc, &book.chapters));
        let top_sizes: Vec<usize> = top.iter().map(top_size).collect();
        let top_runs = runs(&top_sizes, CHUNK_ENTRIES);
        let (part_chunks, chunk_count) = part_chunk_ids(&top, top_runs.len());
        let mut sidebar = Sidebar {
            roots: Vec::new(),
            parts: Vec::new(),
            chunks: vec![String::new(); chunk_count],
            places: HashMap::new(),
            expand_all: total_entries(&top) <= CHUNK_ENTRIES,
            base: String::new(),
        };
        let part_of_chapter = sidebar.render_parts(&top, &part_chunks, &inputs, partials)?;
        let root_of_part =
            sidebar.render_top_level(&top, &top_runs, &part_chunks, &inputs, partials)?;
        for (chapter, part, chunk) in part_of_chapter {
            sidebar.places.insert(
                book.chapters[chapter].page_path.clone(),
                Place {
                    root: root_of_part[part],
                    part: Some((part, chunk)),
                },
            );
        }
        sidebar.base = chunk_base(&sidebar.chunks, hashed);
        Ok(sidebar)
    }

    /// Renders each part's chunks; returns each of their chapters with its part and chunk.
    fn render_parts(
        &mut self,
        top: &[TopItem],
        part_chunks: &PartChunks,
        inputs: &Inputs,
        partials: &Partials,
    ) -> Result<Vec<(usize, usize, usize)>, Diagnostic> {
        let parts: Vec<&Vec<TocNode>> = top
            .iter()
            .filter_map(|item| match item {
                TopItem::Part(_, nodes) => Some(nodes),
                TopItem::Node(_) => None,
            })
            .collect();
        // Every chunk of every part, rendered in parallel (a thousand parts at 50,000 chapters).
        let jobs: Vec<(usize, usize, Range<usize>)> = parts
            .iter()
            .enumerate()
            .flat_map(|(part_index, _)| {
                let (part_runs, _) = &part_chunks[part_index];
                (0..part_runs.len()).map(move |k| (part_index, k, part_runs[k].clone()))
            })
            .collect();
        let rendered: Vec<Result<RenderedChunk, Diagnostic>> = jobs
            .into_par_iter()
            .map(|(part_index, k, range)| {
                let (part_runs, first) = &part_chunks[part_index];
                let nodes = parts[part_index];
                let (before, after) = neighbours(k, *first, part_runs.len());
                let view = ChunkView {
                    entries: nodes[range.clone()]
                        .iter()
                        .map(|n| inputs.entry(n, 0))
                        .collect(),
                    before,
                    after,
                    numbers: inputs.numbers,
                };
                let html = partials.render(partials::SIDEBAR, "chunk", &view)?;
                let mut chapters = Vec::new();
                nodes[range]
                    .iter()
                    .for_each(|n| chapters_in(n, &mut chapters));
                Ok(RenderedChunk {
                    part: part_index,
                    html,
                    chapters,
                })
            })
            .collect();
        let mut part_of_chapter = Vec::new();
        self.parts = vec![Vec::new(); parts.len()];
        for chunk in rendered {
            let RenderedChunk {
                part: part_index,
                html,
                chapters,
            } = chunk?;
            let (_, first) = &part_chunks[part_index];
            let id = first + self.parts[part_index].len();
            self.chunks[id] = html;
            part_of_chapter.extend(chapters.into_iter().map(|c| (c, part_index, id)));
            self.parts[part_index].push(id);
        }
        Ok(part_of_chapter)
    }

    /// Renders the top level's chunks and places the chapters outside parts; returns the
    /// top-level chunk holding each part.
    fn render_top_level(
        &mut self,
        top: &[TopItem],
        top_runs: &[Range<usize>],
        part_chunks: &PartChunks,
        inputs: &Inputs,
        partials: &Partials,
    ) -> Result<Vec<usize>, Diagnostic> {
        let mut root_of_part = Vec::new();
        for (r, range) in top_runs.iter().enumerate() {
            let (before, after) = neighbours(r, 0, top_runs.len());
            let mut view = ChunkView {
                entries: Vec::new(),
                before,
                after,
                numbers: inputs.numbers,
            };
            for item in &top[range.clone()] {
                match item {
                    TopItem::Node(n) => {
                        self.place_top_level_chapters(n, r, inputs.book);
                        view.entries.push(inputs.entry(n, 0));
                    }
                    TopItem::Part(title, _) => {
                        let part = root_of_part.len();
                        view.entries
                            .push(part_entry(title, part_chunks[part].1, part));
                        root_of_part.push(r);
                    }
                }
            }
            let html = partials.render(partials::SIDEBAR, "chunk", &view)?;
            let held = root_of_part.iter().filter(|&&root| root == r).count();
            let parts_so_far = root_of_part.len();
            self.add_root_chunk(r, &html, parts_so_far - held..parts_so_far, partials)?;
        }
        Ok(root_of_part)
    }

    /// Every chapter under a top-level node sits in top-level chunk `root` and in no part.
    fn place_top_level_chapters(&mut self, node: &TocNode, root: usize, book: &Book) {
        let mut chapters = Vec::new();
        chapters_in(node, &mut chapters);
        for c in chapters {
            self.places.insert(
                book.chapters[c].page_path.clone(),
                Place { root, part: None },
            );
        }
    }

    /// Splits top-level chunk `r`'s markup where the parts `held` put their entries, and keeps
    /// its markup without them as the chunk script's content.
    fn add_root_chunk(
        &mut self,
        r: usize,
        html: &str,
        held: Range<usize>,
        partials: &Partials,
    ) -> Result<(), Diagnostic> {
        let expected = held.len();
        let segments = split_at_parts(html, held);
        let placed = segments
            .iter()
            .filter(|s| matches!(s, Segment::Part(_)))
            .count();
        if placed != expected {
            return Err(Diagnostic::error(
                "template `partials/sidebar.html` does not show a part's entries",
            )
            .in_file(partials.shown_path(partials::SIDEBAR))
            .hint("a part's `<li>` must contain `{{ e.contents | safe }}` once"));
        }
        self.chunks[r] = segments
            .iter()
            .filter_map(|s| match s {
                Segment::Html(h) => Some(h.as_str()),
                Segment::Part(_) => None,
            })
            .collect();
        self.roots.push(segments);
        Ok(())
    }

    /// The chunk scripts, each registering its markup under `guidebook.tocChunks[N]`.
    pub fn files(&self) -> impl Iterator<Item = (String, Vec<u8>)> + '_ {
        self.chunks.iter().enumerate().map(|(id, html)| {
            let json = serde_json::to_string(&html.replace(ROOT_MARKER, ""))
                .expect("a string serialises")
                .replace("</", "<\\/");
            let script = format!(
                "(window.guidebook.tocChunks=window.guidebook.tocChunks||{{}})[{id}]={json};\n"
            );
            (format!("{}{id}.js", self.base), script.into_bytes())
        })
    }

    /// The sidebar list of the page at `page_path` (links start with the root marker): its top
    /// level chunk with its part's chunk in place, and its own link marked.
    pub fn html_for(&self, page_path: &str) -> String {
        let place = self.places.get(page_path).copied().unwrap_or_default();
        let mut out = String::from("<ol class=\"toc\">");
        for segment in &self.roots[place.root] {
            match segment {
                Segment::Html(html) => out.push_str(html),
                Segment::Part(p) => {
                    let chunk = match place.part {
                        Some((part, chunk)) if part == *p => Some(chunk),
                        _ if self.expand_all => self.parts[*p].first().copied(),
                        _ => None,
                    };
                    if let Some(chunk) = chunk {
                        out.push_str("<ol>");
                        out.push_str(&self.chunks[chunk]);
                        out.push_str("</ol>");
                    }
                }
            }
        }
        out.push_str("</ol>");
        let link = format!("href=\"{ROOT_MARKER}{}\"", encode_path(page_path));
        match out.find(&link) {
            Some(at) => {
                out.insert_str(at, "aria-current=\"page\" ");
                out
            }
            None => out,
        }
    }
}

/// A part's chunk of the sidebar: its part, its HTML and the chapters it lists.
struct RenderedChunk {
    part: usize,
    html: String,
    chapters: Vec<usize>,
}

/// Groups the table of contents' top level: each part takes the entries up to the next part.
fn top_level(roots: Vec<TocNode>) -> Vec<TopItem> {
    let mut top = Vec::new();
    for node in roots {
        match (node.kind, top.last_mut()) {
            ("part", _) => top.push(TopItem::Part(node.title, Vec::new())),
            (_, Some(TopItem::Part(_, nodes))) => nodes.push(node),
            _ => top.push(TopItem::Node(node)),
        }
    }
    top
}

/// Splits a top-level chunk's markup at the slots of the parts it holds.
fn split_at_parts(html: &str, parts: Range<usize>) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut rest = html;
    for p in parts {
        let slot = part_slot(p);
        if let Some((before, after)) = rest.split_once(&slot) {
            segments.push(Segment::Html(before.to_string()));
            segments.push(Segment::Part(p));
            rest = after;
        }
    }
    segments.push(Segment::Html(rest.to_string()));
    segments
}
