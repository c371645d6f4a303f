//! The theme's CSS and JS as served: comments and indentation left out, every line, name and
//! statement kept as written. Readers download about a fifth less; the commented source stays
//! in `themes/`. Not a minifier: no renaming, no joined lines (so semicolon insertion reads the
//! code as before), and nothing inside strings or template literals is touched.

/// What a scan is inside of at the start of a line.
#[derive(Clone, Copy, PartialEq)]
enum State {
    Code,
    BlockComment,
    /// A JS template literal, which may span lines: its text is kept exactly.
    Template,
}

/// `source` without comments, leading indentation and blank lines. `js` also reads `//`
/// comments, quotes and template literals; CSS has only block comments (and quotes).
pub fn compact(source: &str, js: bool) -> String {
    let mut out = String::with_capacity(source.len());
    let mut state = State::Code;
    for line in source.lines() {
        let start_state = state;
        let kept = scan_line(line, js, &mut state);
        if start_state == State::Template {
            // Inside a template literal the line is text, indentation included.
            out.push_str(&kept);
            out.push('\n');
            continue;
        }
        let trimmed = kept.trim();
        if !trimmed.is_empty() {
            out.push_str(if state == State::Template {
                kept.trim_start()
            } else {
                trimmed
            });
            out.push('\n');
        }
    }
    // A file without a final newline stays without one.
    if !source.ends_with('\n') && out.ends_with('\n') {
        out.pop();
    }
    out
}

/// `line` without its comments; `state` is what the scan is inside of, before and after.
fn scan_line(line: &str, js: bool, state: &mut State) -> String {
    let mut kept = String::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match *state {
            State::BlockComment => {
                if c == '*' && next == Some('/') {
                    *state = State::Code;
                    i += 2;
                    continue;
                }
                i += 1;
            }
            State::Template => {
                kept.push(c);
                if c == '\\' {
                    if let Some(n) = next {
                        kept.push(n);
                    }
                    i += 2;
                    continue;
                }
                if c == '`' {
                    *state = State::Code;
                }
                i += 1;
            }
            State::Code => {
                if c == '/' && next == Some('*') {
                    *state = State::BlockComment;
                    i += 2;
                } else if js && c == '/' && next == Some('/') {
                    break;
                } else if c == '\'' || c == '"' {
                    i = copy_quoted(&chars, i, &mut kept);
                } else if js && c == '`' {
                    kept.push(c);
                    *state = State::Template;
                    i += 1;
                } else {
                    kept.push(c);
                    i += 1;
                }
            }
        }
    }
    kept
}

/// Copies the quoted string starting at `chars[start]` to `kept`; returns the index after it.
/// A quoted string ends on its line (no line continuations here).
fn copy_quoted(chars: &[char], start: usize, kept: &mut String) -> usize {
    let quote = chars[start];
    kept.push(quote);
    let mut i = start + 1;
    while i < chars.len() {
        let d = chars[i];
        kept.push(d);
        i += 1;
        if d == '\\' && i < chars.len() {
            kept.push(chars[i]);
            i += 1;
        } else if d == quote {
            break;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn comments_and_indentation_go_strings_stay() {
        let js = "// top\n(() => {\n  /** doc\n   * more */\n  const a = 'x // y'; // why\n  const b = \"/* z */\";\n  const c = `line\n    kept ${a}`;\n\n  return a + b + c; /* end */\n})();\n";
        assert_eq!(
            compact(js, true),
            "(() => {\nconst a = 'x // y';\nconst b = \"/* z */\";\nconst c = `line\n    kept ${a}`;\nreturn a + b + c;\n})();\n"
        );
        let css = "/* a */\n.x {\n  content: \"/* no */\";\n  color: red; /* why */\n}\n";
        assert_eq!(
            compact(css, false),
            ".x {\ncontent: \"/* no */\";\ncolor: red;\n}\n"
        );
        // `//` in CSS is not a comment (URLs).
        assert_eq!(compact("a { b: url(//x); }", false), "a { b: url(//x); }");
    }

    /// Every built-in theme script still parses (Node's `--check`) once compacted.
    #[test]
    fn the_theme_scripts_still_parse() {
        let Ok(node) = which_node() else {
            eprintln!("node not found: skipping the syntax check of compacted scripts");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in crate::theme::DEFAULT_STATIC {
            if !name.ends_with(".js") {
                continue;
            }
            let path = dir.path().join(name);
            std::fs::write(&path, compact(std::str::from_utf8(bytes).unwrap(), true)).unwrap();
            let out = std::process::Command::new(&node)
                .arg("--check")
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{name} does not parse once compacted:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    fn which_node() -> Result<std::path::PathBuf, ()> {
        std::env::var_os("PATH")
            .into_iter()
            .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .map(|d| d.join("node"))
            .find(|p| p.is_file())
            .ok_or(())
    }
}
