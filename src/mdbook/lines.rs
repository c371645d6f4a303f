//! Picking lines out of an included file, as mdBook's links preprocessor does: line ranges
//! (`:N`, `:N:M`, `:N:`, `::M`, 1-based and inclusive) and `ANCHOR: name` / `ANCHOR_END: name`
//! markers, which are always left out, nested ones too.

/// Which part of a file an include takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// 0-based start (inclusive) and end (exclusive); `None` means the file's start or end.
    Lines(Option<usize>, Option<usize>),
    Anchor(String),
}

impl Selection {
    /// Parses what follows the path's first `:` (`None` when there is no `:`).
    pub fn parse(spec: Option<&str>) -> Selection {
        let Some(spec) = spec else {
            return Selection::Lines(None, None);
        };
        let mut parts = spec.splitn(3, ':');
        let first = parts.next().unwrap_or("");
        let start = match first.parse::<usize>() {
            Ok(n) => Some(n.saturating_sub(1)),
            Err(_) if first.is_empty() => None,
            Err(_) => return Selection::Anchor(first.to_string()),
        };
        match (start, parts.next().map(str::parse::<usize>)) {
            (Some(s), Some(Ok(end))) => Selection::Lines(Some(s), Some(end)),
            (Some(s), Some(Err(_))) => Selection::Lines(Some(s), None),
            (Some(s), None) => Selection::Lines(Some(s), Some(s + 1)),
            (None, Some(Ok(end))) => Selection::Lines(None, Some(end)),
            (None, _) => Selection::Lines(None, None),
        }
    }
}

/// Why a selection found nothing to take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionError {
    /// The range starts past the file's last line.
    PastEnd {
        start: usize,
        lines: usize,
    },
    NoAnchor(String),
}

/// The selected lines joined with `\n`, markers removed.
pub fn take(text: &str, selection: &Selection) -> Result<String, SelectionError> {
    match selection {
        Selection::Lines(start, end) => {
            let start = first_line(text, *start)?;
            let take = end.map_or(usize::MAX, |e| e.saturating_sub(start));
            Ok(text
                .lines()
                .skip(start)
                .take(take)
                .collect::<Vec<_>>()
                .join("\n"))
        }
        Selection::Anchor(name) => {
            let mut kept = Vec::new();
            let mut inside = false;
            let mut found = false;
            for line in text.lines() {
                if inside {
                    if marker(line, "ANCHOR_END:") == Some(name.as_str()) {
                        break;
                    }
                    if !is_marker(line) {
                        kept.push(line);
                    }
                } else if marker(line, "ANCHOR:") == Some(name.as_str()) {
                    inside = true;
                    found = true;
                }
            }
            if found {
                Ok(kept.join("\n"))
            } else {
                Err(SelectionError::NoAnchor(name.clone()))
            }
        }
    }
}

/// `{{#rustdoc_include}}`: the whole file, the lines outside the selection behind `# ` so they
/// are hidden but still part of the example.
pub fn take_rustdoc(text: &str, selection: &Selection) -> Result<String, SelectionError> {
    let mut out = Vec::new();
    match selection {
        Selection::Lines(start, end) => {
            let start = first_line(text, *start)?;
            let end = end.unwrap_or(usize::MAX);
            for (i, line) in text.lines().enumerate() {
                if (start..end).contains(&i) {
                    out.push(line.to_string());
                } else {
                    out.push(format!("# {line}"));
                }
            }
        }
        Selection::Anchor(name) => {
            let mut inside = false;
            let mut found = false;
            for line in text.lines() {
                if inside {
                    if marker(line, "ANCHOR_END:") == Some(name.as_str()) {
                        inside = false;
                    } else if !is_marker(line) {
                        out.push(line.to_string());
                    }
                } else if let Some(start) = marker(line, "ANCHOR:") {
                    // Other anchors' markers are dropped too, as mdBook drops them.
                    if start == name.as_str() {
                        inside = true;
                        found = true;
                    }
                } else if marker(line, "ANCHOR_END:").is_none() {
                    out.push(format!("# {line}"));
                }
            }
            if !found {
                return Err(SelectionError::NoAnchor(name.clone()));
            }
        }
    }
    Ok(out.join("\n"))
}

/// The 0-based first line of a line range (the file's first when the range has no start), or
/// the error for a start past the file's last line.
fn first_line(text: &str, start: Option<usize>) -> Result<usize, SelectionError> {
    let start = start.unwrap_or(0);
    let lines = text.lines().count();
    if start > 0 && start >= lines {
        return Err(SelectionError::PastEnd {
            start: start + 1,
            lines,
        });
    }
    Ok(start)
}

fn is_marker(line: &str) -> bool {
    marker(line, "ANCHOR:").is_some() || marker(line, "ANCHOR_END:").is_some()
}

/// The anchor name after `keyword` on this line (`// ANCHOR: setup` gives `setup`).
fn marker<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(at) = line[from..].find(keyword) {
        let start = from + at;
        let rest = line[start + keyword.len()..].trim_start();
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if name_len > 0 {
            return Some(&rest[..name_len]);
        }
        from = start + keyword.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "one\ntwo\nthree\nfour\nfive";

    fn lines(spec: &str) -> String {
        take(FILE, &Selection::parse(Some(spec))).unwrap()
    }

    #[test]
    fn ranges_as_mdbook_reads_them() {
        assert_eq!(lines("2"), "two");
        assert_eq!(lines("2:3"), "two\nthree");
        assert_eq!(lines("4:"), "four\nfive");
        assert_eq!(lines(":2"), "one\ntwo");
        assert_eq!(lines("::2"), FILE);
        assert_eq!(take(FILE, &Selection::parse(None)).unwrap(), FILE);
        assert_eq!(
            take(FILE, &Selection::parse(Some("9"))),
            Err(SelectionError::PastEnd { start: 9, lines: 5 })
        );
    }

    #[test]
    fn anchors_nest_and_markers_are_dropped() {
        let text = "a\n// ANCHOR: outer\nb\n// ANCHOR: inner\nc\n// ANCHOR_END: inner\nd\n// ANCHOR_END: outer\ne";
        assert_eq!(lines_of(text, "outer"), "b\nc\nd");
        assert_eq!(lines_of(text, "inner"), "c");
        assert_eq!(
            take(text, &Selection::Anchor("nope".into())),
            Err(SelectionError::NoAnchor("nope".into()))
        );
    }

    fn lines_of(text: &str, anchor: &str) -> String {
        take(text, &Selection::Anchor(anchor.into())).unwrap()
    }

    #[test]
    fn rustdoc_include_drops_every_anchor_marker() {
        let text = "// ANCHOR: all\nuse a;\n// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\nfn other() {}\n// ANCHOR_END: all\n";
        assert_eq!(
            take_rustdoc(text, &Selection::Anchor("main".into())).unwrap(),
            "# use a;\nfn main() {}\n# fn other() {}"
        );
    }

    #[test]
    fn rustdoc_include_hides_the_rest() {
        let text = "use a;\n// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\n";
        assert_eq!(
            take_rustdoc(text, &Selection::Anchor("main".into())).unwrap(),
            "# use a;\nfn main() {}"
        );
        assert_eq!(
            take_rustdoc("a\nb\nc", &Selection::parse(Some("2"))).unwrap(),
            "# a\nb\n# c"
        );
    }
}
