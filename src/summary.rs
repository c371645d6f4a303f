//! SUMMARY.md in mdBook's syntax: a title, prefix chapters, `# Part` titles with nested numbered
//! chapters, separators, draft chapters `[Title]()`, and suffix chapters.

use crate::error::{Diagnostic, Diagnostics};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub title: Option<String>,
    pub entries: Vec<SummaryEntry>,
    /// Lines mdBook skips (deeper headings, text between chapters): skipped here too, said aloud.
    pub warnings: Diagnostics,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryEntry {
    PartTitle(String),
    Separator,
    Chapter(SummaryLink),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryLink {
    pub title: String,
    /// Path relative to the source folder, `None` for a draft chapter.
    pub path: Option<String>,
    /// "1.2" for numbered chapters, `None` for prefix and suffix chapters.
    pub number: Option<String>,
    /// 0 for top-level entries.
    pub depth: usize,
    /// Byte offset and length of the link's target in SUMMARY.md, for errors.
    pub target_offset: usize,
    pub target_len: usize,
}

const FILE_HINT: &str =
    "each line is `- [Title](file.md)`, `[Title](file.md)`, `# Part title` or `---`";

#[derive(PartialEq)]
enum Stage {
    Prefix,
    Numbered,
    Suffix,
}

/// Parses SUMMARY.md; `file` is how errors name it.
pub fn parse(source: &str, file: &str) -> Result<Summary, Diagnostics> {
    let mut parser = SummaryParser {
        source,
        file,
        title: None,
        entries: Vec::new(),
        errors: Diagnostics::default(),
        warnings: Diagnostics::default(),
        stage: Stage::Prefix,
        indents: Vec::new(),
        counters: Vec::new(),
        in_comment: false,
    };
    let mut offset = 0;
    for raw_line in source.split_inclusive('\n') {
        parser.line(raw_line, offset);
        offset += raw_line.len();
    }
    let SummaryParser {
        title,
        entries,
        errors,
        warnings,
        ..
    } = parser;
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(Summary {
            title,
            entries,
            warnings,
        })
    }
}

/// SUMMARY.md read line by line: what it has found so far, and where in the book it is.
struct SummaryParser<'a> {
    source: &'a str,
    file: &'a str,
    title: Option<String>,
    entries: Vec<SummaryEntry>,
    errors: Diagnostics,
    warnings: Diagnostics,
    stage: Stage,
    /// The indentation of each open level of numbered chapters.
    indents: Vec<usize>,
    /// The number of each open level (`2.1.3`).
    counters: Vec<u32>,
    in_comment: bool,
}

/// One non-empty line, without its line break, and where it starts in the file.
struct Line<'a> {
    text: &'a str,
    trimmed: &'a str,
    offset: usize,
}

impl Line<'_> {
    fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start().len()
    }
}

impl SummaryParser<'_> {
    /// An error at `line`'s text.
    fn error(&self, line: &Line, message: &str) -> Diagnostic {
        Diagnostic::error(message).in_file(self.file).at_offset(
            self.source,
            line.offset + line.indent(),
            line.trimmed.len(),
        )
    }

    fn line(&mut self, raw_line: &str, offset: usize) {
        let text = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = text.trim();
        if self.in_comment {
            self.in_comment = !trimmed.contains("-->");
            return;
        }
        if trimmed.starts_with("<!--") {
            self.in_comment = !trimmed.contains("-->");
            return;
        }
        if trimmed.is_empty() {
            return;
        }
        let line = Line {
            text,
            trimmed,
            offset,
        };
        if let Some(heading) =
            trimmed
                .strip_prefix("# ")
                .or(if trimmed == "#" { Some("") } else { None })
        {
            self.heading(&line, heading);
        } else if trimmed.starts_with("##") {
            // mdBook reads only `# ` headings and skips deeper ones.
            let warning = self.error(&line, "only `# ` headings (the book title and part titles) mean something in SUMMARY.md; this one is skipped")
                .downgraded()
                .hint("use `# Part title` for a part, or remove the heading");
            self.warnings.push(warning);
        } else if is_separator(trimmed) {
            self.entries.push(SummaryEntry::Separator);
        } else {
            self.link_line(&line);
        }
    }

    /// `# Title`: the book's title first, a part title after.
    fn heading(&mut self, line: &Line, heading: &str) {
        let heading = heading.trim().trim_end_matches('#').trim().to_string();
        if self.title.is_none() && self.entries.is_empty() && self.stage == Stage::Prefix {
            self.title = Some(heading);
        } else if self.stage == Stage::Suffix {
            let error = self
                .error(line, "a part title cannot come after the suffix chapters")
                .hint("move the suffix chapters (links without `- `) to the end of SUMMARY.md");
            self.errors.push(error);
        } else {
            self.stage = Stage::Numbered;
            self.entries.push(SummaryEntry::PartTitle(heading));
        }
    }

    /// A chapter: a list item (numbered) or a plain link (prefix or suffix).
    fn link_line(&mut self, line: &Line) {
        let indent = line.indent();
        let trimmed = line.trimmed;
        let (is_item, link_text, link_start) = match trimmed.strip_prefix(['-', '*', '+']) {
            Some(rest) if rest.starts_with(' ') => {
                let rest_trimmed = rest.trim_start();
                (
                    true,
                    rest_trimmed,
                    line.offset + indent + (trimmed.len() - rest_trimmed.len()),
                )
            }
            _ => (false, trimmed, line.offset + indent),
        };
        let Some(link) = parse_link(link_text) else {
            if is_item {
                let error = self
                    .error(line, "this SUMMARY.md line is not a chapter link")
                    .hint(FILE_HINT);
                self.errors.push(error);
            } else {
                // mdBook ignores text between the chapters.
                let warning = self
                    .error(
                        line,
                        "this SUMMARY.md line is not a chapter link, so it is skipped",
                    )
                    .downgraded()
                    .hint(FILE_HINT);
                self.warnings.push(warning);
            }
            return;
        };
        let depth = if is_item {
            self.numbered_depth(line, indent)
        } else {
            self.unnumbered_depth(line, indent)
        };
        let Some(depth) = depth else {
            return;
        };
        let number = is_item.then(|| {
            self.counters
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(".")
        });
        self.entries.push(SummaryEntry::Chapter(SummaryLink {
            title: link.title,
            path: link.target,
            number,
            depth,
            target_offset: link_start + link.target_start,
            target_len: link.target_len,
        }));
    }

    /// A numbered chapter's depth from its indentation, its number counted; `None` after an
    /// error.
    fn numbered_depth(&mut self, line: &Line, indent: usize) -> Option<usize> {
        if self.stage == Stage::Suffix {
            let error = self
                .error(
                    line,
                    "a numbered chapter cannot come after the suffix chapters",
                )
                .hint("suffix chapters (links without `- `) must come last");
            self.errors.push(error);
            return None;
        }
        self.stage = Stage::Numbered;
        let indents = &mut self.indents;
        while indents.last().is_some_and(|&top| indent < top) {
            indents.pop();
        }
        if indents.last() != Some(&indent) {
            if indents.last().is_some_and(|&top| indent < top) || indents.is_empty() {
                indents.clear();
            }
            indents.push(indent);
        }
        let depth = indents.len() - 1;
        self.counters.truncate(depth + 1);
        while self.counters.len() < depth + 1 {
            self.counters.push(0);
        }
        self.counters[depth] += 1;
        Some(depth)
    }

    /// A prefix or suffix chapter (a plain link) is at the top level; `None` after an error.
    fn unnumbered_depth(&mut self, line: &Line, indent: usize) -> Option<usize> {
        if self.stage == Stage::Numbered {
            self.stage = Stage::Suffix;
        }
        if indent > 0 {
            let error = self
                .error(line, "an indented link must be a list item")
                .hint("start the line with `- `");
            self.errors.push(error);
            return None;
        }
        Some(0)
    }
}

fn is_separator(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ["-", "*", "_"]
            .iter()
            .any(|m| compact.chars().all(|c| c.to_string() == *m))
}

struct ParsedLink {
    title: String,
    target: Option<String>,
    target_start: usize,
    target_len: usize,
}

/// `[Title](target)`, with `\]` escapes, nested brackets, `<target with spaces>` and %-encoding.
fn parse_link(text: &str) -> Option<ParsedLink> {
    let rest = text.strip_prefix('[')?;
    let mut depth = 0usize;
    let mut close = None;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' if depth == 0 => {
                close = Some(i);
                break;
            }
            ']' => depth -= 1,
            _ => {}
        }
    }
    let close = close?;
    let title = unescape(&rest[..close]);
    let after = rest[close + 1..].strip_prefix('(')?;
    // As mdBook (a Markdown link): anything after the closing `)` is ignored, and so is a
    // `"title"` after the destination.
    let inner = &after[..destination_end(after)?];
    let target_start = 1 + close + 2;
    let leading = inner.len() - inner.trim_start().len();
    let target_raw = inner.trim();
    let target_raw = match target_raw.strip_prefix('<') {
        Some(t) => &t[..t.find('>')?],
        // A `"title"` after the path is dropped; a path with spaces (not valid CommonMark, but
        // guidebook has always read it) is kept whole.
        None => match target_raw.split_once(char::is_whitespace) {
            Some((path, rest)) if rest.trim_start().starts_with(['"', '\'', '(']) => path,
            _ => target_raw,
        },
    };
    let target = if target_raw.is_empty() {
        None
    } else {
        Some(
            percent_encoding::percent_decode_str(target_raw)
                .decode_utf8_lossy()
                .into_owned(),
        )
    };
    if title.trim().is_empty() {
        return None;
    }
    Some(ParsedLink {
        title: title.trim().to_string(),
        target,
        target_start: target_start + leading,
        target_len: target_raw.len().max(1),
    })
}

/// Where a link destination's closing `)` is in `text` (just after the opening `(`).
fn destination_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_angle = false;
    let mut in_quote = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            _ if in_quote == Some(c) => in_quote = None,
            _ if in_quote.is_some() => {}
            '<' if i == text.len() - text.trim_start().len() => in_angle = true,
            '>' if in_angle => in_angle = false,
            _ if in_angle => {}
            '"' | '\'' if text[..i].ends_with(char::is_whitespace) => in_quote = Some(c),
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else if !matches!(c, '*' | '`') {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapters(summary: &Summary) -> Vec<(String, Option<String>, Option<String>, usize)> {
        summary
            .entries
            .iter()
            .filter_map(|e| match e {
                SummaryEntry::Chapter(l) => {
                    Some((l.title.clone(), l.path.clone(), l.number.clone(), l.depth))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn parses_the_mdbook_shapes() {
        let src = "# Summary\n\n[Intro](README.md)\n\n# Part one\n\n- [A](a.md)\n    - [A1](a/1.md)\n        - [A1x](a/1x.md)\n    - [A2](<a/two words.md>)\n- [Draft]()\n\n---\n\n# Part two\n- [B](b%20c.md)\n\n---\n\n[End](end.md)\n";
        let s = parse(src, "SUMMARY.md").unwrap();
        assert_eq!(s.title.as_deref(), Some("Summary"));
        let c = chapters(&s);
        assert_eq!(c[0], ("Intro".into(), Some("README.md".into()), None, 0));
        assert_eq!(c[1], ("A".into(), Some("a.md".into()), Some("1".into()), 0));
        assert_eq!(c[2].2.as_deref(), Some("1.1"));
        assert_eq!(c[3].2.as_deref(), Some("1.1.1"));
        assert_eq!(c[3].3, 2);
        assert_eq!(
            c[4],
            (
                "A2".into(),
                Some("a/two words.md".into()),
                Some("1.2".into()),
                1
            )
        );
        assert_eq!(c[5], ("Draft".into(), None, Some("2".into()), 0));
        assert_eq!(
            c[6],
            ("B".into(), Some("b c.md".into()), Some("3".into()), 0)
        );
        assert_eq!(c[7], ("End".into(), Some("end.md".into()), None, 0));
        assert!(
            s.entries
                .contains(&SummaryEntry::PartTitle("Part two".into()))
        );
        assert_eq!(
            s.entries
                .iter()
                .filter(|e| **e == SummaryEntry::Separator)
                .count(),
            2
        );
    }

    #[test]
    fn reports_every_bad_line_with_its_position() {
        let src = "# T\n- [A](a.md)\n- not a link\n- [B](b.md\n";
        let err = parse(src, "content/SUMMARY.md").unwrap_err();
        let all: Vec<String> = err.iter().map(|d| d.to_string()).collect();
        assert_eq!(all.len(), 2);
        assert!(all[0].contains("content/SUMMARY.md:3:1"), "{}", all[0]);
        assert!(all[1].contains("SUMMARY.md:4:1"), "{}", all[1]);
    }

    #[test]
    fn reads_what_mdbook_reads() {
        let src = "# Summary\n\n## Getting started\n\n- [A](a.md) (cancellation safety)\n- [B](b.md \"Bee\")\n  - [C](<c d.md>) more text\n\nSome words mdBook skips.\n";
        let s = parse(src, "src/SUMMARY.md").unwrap();
        let c = chapters(&s);
        assert_eq!(c[0].1.as_deref(), Some("a.md"));
        assert_eq!(c[1].1.as_deref(), Some("b.md"));
        assert_eq!(c[2].1.as_deref(), Some("c d.md"));
        assert_eq!(c[2].2.as_deref(), Some("2.1"));
        assert_eq!(s.warnings.len(), 2);
        let spaced = parse("- [A](a b.md)\n", "S").unwrap();
        assert_eq!(chapters(&spaced)[0].1.as_deref(), Some("a b.md"));
        let first = s.warnings.iter().next().unwrap().to_string();
        assert!(first.contains("src/SUMMARY.md:3:1"), "{first}");
        assert!(first.contains("this one is skipped"), "{first}");
    }

    #[test]
    fn numbered_after_suffix_is_an_error() {
        let err = parse("- [A](a.md)\n[S](s.md)\n- [B](b.md)\n", "SUMMARY.md").unwrap_err();
        assert!(err.to_string().contains("cannot come after the suffix"));
    }

    #[test]
    fn chinese_titles_and_escapes() {
        let s = parse("- [第一章：\\[草稿\\]](第一章.md)\n", "S").unwrap();
        assert_eq!(chapters(&s)[0].0, "第一章：[草稿]");
        assert_eq!(chapters(&s)[0].1.as_deref(), Some("第一章.md"));
    }
}
