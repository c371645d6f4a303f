//! Optional YAML front matter between `---` lines at the top of a chapter.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Diagnostic, Location};
use crate::yaml;

#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub template: Option<String>,
    /// Every other key, handed to templates as `page.extra`.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A chapter split into its front matter and its Markdown body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: &'a str,
    /// Byte offset of the body in the file, so Markdown positions map back to file positions.
    pub body_offset: usize,
}

pub fn split<'a>(source: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    let Some(first_line_len) = opening_fence(source) else {
        return Ok(Split {
            front_matter: FrontMatter::default(),
            body: source,
            body_offset: 0,
        });
    };
    let yaml_start = first_line_len;
    let mut offset = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content == "---" || content == "..." {
            let yaml_text = &source[yaml_start..offset];
            let body_offset = offset + line.len();
            let front_matter = parse_yaml(source, yaml_text, file)?;
            return Ok(Split {
                front_matter,
                body: &source[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("front matter is not closed")
        .in_file(file)
        .at(Location::from_line_col(source, 1, 1, 3))
        .hint("did you forget the closing `---` line after the front matter?"))
}

fn opening_fence(source: &str) -> Option<usize> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    ["---\n", "---\r\n"]
        .iter()
        .find(|f| source.starts_with(**f))
        .map(|f| f.len())
}

fn parse_yaml(source: &str, yaml_text: &str, file: &str) -> Result<FrontMatter, Diagnostic> {
    if yaml_text.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    yaml::from_str::<FrontMatter>(yaml_text).map_err(|e| {
        e.into_diagnostic(source, 1, file).hint(
            "front matter is YAML: `title: 标题` and `description: 一句话` between two `---` lines",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_keeps_offsets() {
        let src = "---\ntitle: 标题\nlevel: 3\n---\n# Body\n";
        let split = split(src, "a.md").unwrap();
        assert_eq!(split.front_matter.title.as_deref(), Some("标题"));
        assert_eq!(split.front_matter.extra["level"], serde_json::json!(3));
        assert_eq!(split.body, "# Body\n");
        assert_eq!(&src[split.body_offset..], "# Body\n");
    }

    #[test]
    fn no_front_matter_is_fine() {
        let split = split("# Title\n---\n", "a.md").unwrap();
        assert_eq!(split.body_offset, 0);
        assert_eq!(split.front_matter, FrontMatter::default());
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let src = "---\ntitle: ok\ndescription: [broken\n---\nbody\n";
        let text = split(src, "content/a.md").unwrap_err().to_string();
        assert!(text.contains("content/a.md:3:"), "{text}");
        assert!(text.contains("description: [broken"), "{text}");
    }

    #[test]
    fn unclosed_front_matter_says_what_to_do() {
        let text = split("---\ntitle: x\n", "a.md").unwrap_err().to_string();
        assert!(text.contains("closing `---`"), "{text}");
    }
}
