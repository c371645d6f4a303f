//! Fenced code blocks as mdBook writes them: the info string split at commas and spaces into
//! classes, hidden lines (Rust's `# `, or a prefix per language from
//! `[output.html.code.hidelines]` or the block's own `hidelines=`), and syntax highlighting at
//! build time with syntect: class-based spans (`hl-k` for keywords...), so one HTML serves the light and
//! the dark theme, with no script and no request. Hidden lines are wrapped in `<span
//! class="boring">` and shown by a checkbox that works without JavaScript.

use std::collections::HashMap;
use std::sync::OnceLock;

use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet,
};

use super::escape;
use crate::partials::CodeWords;

/// Code settings from book.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeOptions {
    /// Language to the prefix that hides a line (`python = "~"`); Rust always hides `# `.
    pub hidelines: HashMap<String, String>,
    /// A copy button on each block (`[output.html.playground] copyable`, on by default).
    pub copyable: bool,
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The block's language and its other classes, as mdBook reads an info string
/// (`rust,ignore`, `rust ignore`, `rust, editable`).
pub(crate) fn parse_info(info: &str) -> (Option<&str>, Vec<&str>) {
    let mut tokens = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty());
    let lang = tokens.next();
    (lang, tokens.collect())
}

/// One line of a block: its text (markers removed) and whether it starts hidden.
struct Line<'a> {
    text: std::borrow::Cow<'a, str>,
    hidden: bool,
}

/// Renders one fenced (or indented, `info` empty) code block; `index` makes its ids unique on
/// the page.
pub(crate) fn render_block(
    info: &str,
    code: &str,
    options: &CodeOptions,
    index: usize,
    words: &CodeWords,
) -> String {
    let (lang, extra) = parse_info(info);
    let lang_lower = lang.map(str::to_ascii_lowercase);
    let own_prefix = extra.iter().find_map(|t| t.strip_prefix("hidelines="));
    let lines = match lang_lower.as_deref() {
        Some("rust") => rust_lines(code),
        Some(l) => match own_prefix.or(options.hidelines.get(l).map(String::as_str)) {
            Some(prefix) if !prefix.is_empty() => prefix_lines(code, prefix),
            _ => plain_lines(code),
        },
        None => plain_lines(code),
    };
    let has_hidden = lines.iter().any(|l| l.hidden);
    let mut classes = Vec::new();
    if let Some(l) = lang {
        classes.push(format!("language-{}", escape(l)));
    }
    classes.extend(extra.iter().map(|t| escape(t)));
    let syntax = lang_lower.as_deref().and_then(find_syntax);
    if syntax.is_some() {
        classes.push("hl".to_string());
    }
    let body = match syntax {
        Some(syntax) => highlighted(&lines, syntax).unwrap_or_else(|| unhighlighted(&lines)),
        None => unhighlighted(&lines),
    };
    let toggle = if has_hidden {
        format!(
            "<input type=\"checkbox\" class=\"code-show-hidden\" id=\"code-{index}-hidden\"><label class=\"code-toggle\" for=\"code-{index}-hidden\">{}</label>",
            words.show_hidden
        )
    } else {
        String::new()
    };
    let class_attr = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", classes.join(" "))
    };
    let copy = if options.copyable {
        format!(
            " data-copy=\"{}\" data-copied=\"{}\"",
            words.copy, words.copied
        )
    } else {
        String::new()
    };
    format!(
        "<div class=\"code-block\"{copy}>{toggle}<pre><code{class_attr}>{body}</code></pre></div>\n"
    )
}

/// A language name or file extension to one of syntect's syntaxes; plain text gets none.
fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let name = match lang {
        "text" | "txt" | "plain" | "plaintext" | "none" | "console" | "output" => return None,
        "sh" | "shell" | "zsh" | "shellsession" => "bash",
        "js" | "javascript" | "jsx" | "mjs" => "js",
        "py" | "python3" => "python",
        "c++" | "cpp" | "cxx" => "cpp",
        "c#" | "csharp" | "cs" => "cs",
        "yml" => "yaml",
        "htm" | "xhtml" => "html",
        "hbs" | "handlebars" => "html",
        "golang" => "go",
        "rb" | "ruby" => "rb",
        "objc" | "objective-c" => "m",
        "make" | "makefile" => "makefile",
        "tex" | "latex" => "tex",
        "kt" | "kotlin" => "java",
        other => other,
    };
    let set = syntaxes();
    set.find_syntax_by_token(name)
}

fn plain_lines(code: &str) -> Vec<Line<'_>> {
    code.split_inclusive('\n')
        .map(|l| Line {
            text: l.into(),
            hidden: false,
        })
        .collect()
}

/// Rust: `# ` or a lone `#` hides a line, `##` shows one `#`; `#[attr]` and `#!` stay.
fn rust_lines(code: &str) -> Vec<Line<'_>> {
    code.split_inclusive('\n')
        .map(|raw| {
            let content = raw.trim_end_matches(['\n', '\r']);
            let newline = &raw[content.len()..];
            let indent_len = content.len() - content.trim_start().len();
            let (indent, rest) = content.split_at(indent_len);
            let Some(after) = rest.strip_prefix('#') else {
                return Line {
                    text: raw.into(),
                    hidden: false,
                };
            };
            if let Some(escaped) = after.strip_prefix('#') {
                Line {
                    text: format!("{indent}#{escaped}{newline}").into(),
                    hidden: false,
                }
            } else if after.is_empty() || after.starts_with(' ') {
                let after = after.strip_prefix(' ').unwrap_or(after);
                Line {
                    text: format!("{indent}{after}{newline}").into(),
                    hidden: true,
                }
            } else {
                Line {
                    text: raw.into(),
                    hidden: false,
                }
            }
        })
        .collect()
}

fn prefix_lines<'a>(code: &'a str, prefix: &str) -> Vec<Line<'a>> {
    code.split_inclusive('\n')
        .map(|raw| {
            let indent_len = raw.len() - raw.trim_start().len();
            match raw[indent_len..].strip_prefix(prefix) {
                Some(rest) => Line {
                    text: format!("{}{rest}", &raw[..indent_len]).into(),
                    hidden: true,
                },
                None => Line {
                    text: raw.into(),
                    hidden: false,
                },
            }
        })
        .collect()
}

fn unhighlighted(lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        wrap_hidden(&mut out, line.hidden, |out| {
            out.push_str(&escape(&line.text))
        });
    }
    out
}

fn wrap_hidden(out: &mut String, hidden: bool, write: impl FnOnce(&mut String)) {
    if hidden {
        out.push_str("<span class=\"boring\">");
    }
    write(out);
    if hidden {
        out.push_str("</span>");
    }
}

/// Scope prefixes that get a colour, most specific first, and their short class: the theme
/// styles these few classes, and scopes without one get no span, which keeps pages small.
const STYLED_SCOPES: &[(&str, &str)] = &[
    ("comment", "hl-c"),
    ("string", "hl-s"),
    ("constant.numeric", "hl-n"),
    ("constant.language", "hl-n"),
    ("constant.character", "hl-n"),
    ("entity.name.function", "hl-f"),
    ("support.function", "hl-f"),
    ("entity.name.tag", "hl-f"),
    ("markup.heading", "hl-f"),
    ("entity.name.macro", "hl-m"),
    ("support.macro", "hl-m"),
    ("entity.name", "hl-t"),
    ("support.type", "hl-t"),
    ("support.class", "hl-t"),
    ("entity.other.attribute-name", "hl-t"),
    ("meta.attribute", "hl-t"),
    ("storage.type", "hl-k"),
    ("storage", "hl-k"),
    ("keyword.operator", "hl-o"),
    ("keyword", "hl-k"),
    ("variable.parameter", "hl-p"),
    ("variable.language", "hl-k"),
    ("markup.inserted", "hl-s"),
    ("markup.deleted", "hl-d"),
    ("invalid", "hl-d"),
];

fn styled_scopes() -> &'static [(Scope, &'static str)] {
    static SCOPES: OnceLock<Vec<(Scope, &'static str)>> = OnceLock::new();
    SCOPES.get_or_init(|| {
        STYLED_SCOPES
            .iter()
            .filter_map(|(name, class)| Some((Scope::new(name).ok()?, *class)))
            .collect()
    })
}

fn class_for(scope: Scope) -> Option<&'static str> {
    styled_scopes()
        .iter()
        .find(|(prefix, _)| prefix.is_prefix_of(scope))
        .map(|(_, class)| *class)
}

/// Each line's spans are closed at its end and reopened on the next, so a hidden line can be
/// wrapped in its own span without breaking the nesting.
fn highlighted(lines: &[Line], syntax: &SyntaxReference) -> Option<String> {
    let set = syntaxes();
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    // The class of each scope on the stack (`None`: no span).
    let mut open: Vec<Option<&'static str>> = Vec::new();
    let mut out = String::new();
    for line in lines {
        // syntect's `newlines` syntaxes expect every line to end in `\n`.
        let owned;
        let text: &str = if line.text.ends_with('\n') {
            &line.text
        } else {
            owned = format!("{}\n", line.text);
            &owned
        };
        let ops = state.parse_line(text, set).ok()?;
        let mut html = String::new();
        for class in open.iter().flatten() {
            push_open(&mut html, class);
        }
        let mut at = 0;
        for (index, op) in &ops {
            let index = (*index).min(text.len());
            if index > at {
                html.push_str(&escape(&text[at..index]));
                at = index;
            }
            scopes
                .apply_with_hook(op, |basic, _| match basic {
                    BasicScopeStackOp::Push(scope) => {
                        let class = class_for(scope);
                        if let Some(class) = class {
                            push_open(&mut html, class);
                        }
                        open.push(class);
                    }
                    BasicScopeStackOp::Pop => {
                        if open.pop().flatten().is_some() {
                            html.push_str("</span>");
                        }
                    }
                })
                .ok()?;
        }
        let end = if line.text.ends_with('\n') {
            text.len()
        } else {
            text.len() - 1
        };
        if end > at {
            html.push_str(&escape(&text[at..end]));
        }
        for _ in open.iter().flatten() {
            html.push_str("</span>");
        }
        wrap_hidden(&mut out, line.hidden, |out| out.push_str(&html));
    }
    Some(out)
}

fn push_open(out: &mut String, class: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> CodeWords {
        CodeWords {
            show_hidden: "Show hidden lines".into(),
            copy: "Copy code".into(),
            copied: "Copied".into(),
        }
    }

    fn block(info: &str, code: &str) -> String {
        render_block(info, code, &CodeOptions::default(), 1, &english())
    }

    #[test]
    fn info_strings_split_at_commas_and_spaces() {
        assert_eq!(
            parse_info("rust,compile_fail"),
            (Some("rust"), vec!["compile_fail"])
        );
        assert_eq!(
            parse_info("rust, ignore editable"),
            (Some("rust"), vec!["ignore", "editable"])
        );
        let html = block("rust,should_panic", "fn main() {}\n");
        assert!(
            html.contains("class=\"language-rust should_panic hl\""),
            "{html}"
        );
    }

    #[test]
    fn rust_hidden_lines_and_escapes() {
        let html = block(
            "rust",
            "# use std::fmt;\n#\nfn main() {\n    ## not hidden\n    #[derive(Debug)]\n}\n",
        );
        assert_eq!(html.matches("<span class=\"boring\">").count(), 2, "{html}");
        assert!(html.contains("class=\"code-show-hidden\""), "{html}");
        assert!(!html.contains("# use"), "{html}");
        assert!(!html.contains("##"), "{html}");
        let text = strip_tags(&html);
        assert!(text.contains("use std::fmt;"), "{text}");
        assert!(text.contains("    # not hidden"), "{text}");
        assert!(text.contains("#[derive(Debug)]"), "{text}");
    }

    #[test]
    fn configured_prefixes_hide_other_languages() {
        let mut options = CodeOptions::default();
        options.hidelines.insert("python".into(), "~".into());
        let html = render_block("python", "~import os\nprint(1)\n", &options, 2, &english());
        assert!(html.contains("<span class=\"boring\">"), "{html}");
        assert!(strip_tags(&html).contains("import os"));
        let own = block("text,hidelines=!!", "!!secret\nshown\n");
        assert!(
            own.contains("<span class=\"boring\">secret\n</span>shown"),
            "{own}"
        );
    }

    #[test]
    fn highlighting_is_balanced_and_class_based() {
        for (lang, code) in [
            ("rust", "/* a\n b */ fn main() { let s = \"x\"; }\n"),
            (
                "python",
                "def f():\n    '''doc\n    more'''\n    return 1\n",
            ),
            ("bash", "echo \"$HOME\" # comment\n"),
            ("toml", "[book]\ntitle = \"x\"\n"),
            ("json", "{\"a\": [1, 2]}"),
        ] {
            let html = block(lang, code);
            assert_eq!(
                html.matches("<span").count(),
                html.matches("</span>").count(),
                "{lang}: {html}"
            );
            assert!(!html.contains("style="), "{html}");
        }
        assert!(block("rust", "fn main() {}\n").contains("<span class=\"hl-k\">fn</span>"));
        assert!(!block("text", "<b>\n").contains("hl-"));
        assert!(block("text", "<b>\n").contains("&lt;b&gt;"));
    }

    fn strip_tags(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }
}
