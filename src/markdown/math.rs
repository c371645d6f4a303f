//! Math to MathML at build time (pulldown-latex): `$…$` and `$$…$$` (pulldown-cmark's math
//! syntax) and, under mdBook's `mathjax-support`, `\( … \)` and `\[ … \]` in text (written
//! `\\(` in Markdown). Every current browser shows MathML without a script. TeX that does not
//! parse stays visible as its source and is reported with its position.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage, push_mathml};

use super::escape;

/// MathML for `tex`, or why it cannot be rendered.
pub(crate) fn to_mathml(tex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(tex, &storage).collect();
    if let Some(Err(e)) = events.iter().find(|e| e.is_err()) {
        // The crate's message draws its own snippet below the first line; ours is enough.
        let message = e.to_string();
        return Err(message.lines().next().unwrap_or("").trim().to_string());
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: Some(tex),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    push_mathml(&mut out, events.into_iter(), config).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The source of math that could not be rendered, shown as it was written.
pub(crate) fn fallback(tex: &str, display: bool) -> String {
    let (open, close) = if display { ("$$", "$$") } else { ("$", "$") };
    format!(
        "<code class=\"math-error\">{open}{}{close}</code>",
        escape(tex)
    )
}

/// A piece of text split at mdBook's MathJax delimiters.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    /// The TeX, whether it is display math, and its byte offset in the text.
    Math(&'a str, bool, usize),
}

/// Splits `text` at `\( … \)` and `\[ … \]` (as they read after Markdown's unescaping).
pub(crate) fn split_mathjax(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest_start = 0;
    let mut from = 0;
    while let Some(at) = text[from..].find('\\') {
        let start = from + at;
        let (close, display) = match text[start + 1..].chars().next() {
            Some('(') => ("\\)", false),
            Some('[') => ("\\]", true),
            _ => {
                from = start + 1;
                continue;
            }
        };
        let body_start = start + 2;
        let Some(len) = text[body_start..].find(close) else {
            break;
        };
        if start > rest_start {
            pieces.push(Piece::Text(&text[rest_start..start]));
        }
        pieces.push(Piece::Math(
            &text[body_start..body_start + len],
            display,
            body_start,
        ));
        rest_start = body_start + len + 2;
        from = rest_start;
    }
    if rest_start < text.len() {
        pieces.push(Piece::Text(&text[rest_start..]));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_becomes_mathml() {
        let html = to_mathml("x^2 + \\frac{1}{2}", false).unwrap();
        assert!(html.starts_with("<math"), "{html}");
        assert!(html.contains("<mfrac>"), "{html}");
        assert!(to_mathml("\\frac{1}{", false).is_err());
    }

    #[test]
    fn mathjax_delimiters_split_text() {
        assert_eq!(
            split_mathjax("a \\(x\\) b \\[y\\]"),
            vec![
                Piece::Text("a "),
                Piece::Math("x", false, 4),
                Piece::Text(" b "),
                Piece::Math("y", true, 12),
            ]
        );
        assert_eq!(
            split_mathjax("no math \\ here"),
            vec![Piece::Text("no math \\ here")]
        );
    }
}
