//! Case studies: situation, what the person did, outcome and lesson.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::error::{Diagnostic, Diagnostics, Location};

#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub id: String,
    pub title: String,
    pub setback: String,
    pub person: String,
    /// Optional facets shown on the card and used as filters in the case library.
    pub industry: String,
    pub seniority: String,
    /// One of [`RESULTS`]: how far the repair went.
    pub result: String,
    /// The four parts, in Markdown.
    pub situation: String,
    pub actions: String,
    pub outcome: String,
    pub lesson: String,
    /// Plain text of all four parts, for the search index.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    id: Option<Spanned<String>>,
    title: String,
    #[serde(default)]
    setback: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    seniority: String,
    result: Option<Spanned<String>>,
    situation: String,
    actions: String,
    outcome: String,
    lesson: String,
}

/// The values `result:` may take, in Chinese and English books.
pub(crate) const RESULTS: [&str; 6] = [
    "修复",
    "部分修复",
    "未能修复",
    "repaired",
    "partly repaired",
    "not repaired",
];

pub fn parse(source: &str, file: &str, default_id: &str) -> Result<Case, Diagnostics> {
    let raw: RawCase = crate::yaml::from_str(source).map_err(|e| {
        let d = e.into_diagnostic(source, 0, file);
        let d = if d.hint.is_none() {
            d.hint("a case study has `title:`, `setback:`, `person:`, `situation:`, `actions:`, `outcome:` and `lesson:`")
        } else {
            d
        };
        Diagnostics::from(d)
    })?;
    let id = match raw.id {
        Some(id) if !super::worksheet::valid_id(&id.value) => {
            let loc = id.referenced;
            return Err(Diagnostic::error(format!("invalid case id `{}`", id.value))
                .in_file(file)
                .at(Location::from_line_col(
                    source,
                    loc.line() as usize,
                    loc.column() as usize,
                    id.value.chars().count(),
                ))
                .hint("ids use lower-case letters a-z, digits, `-` and `_`")
                .into());
        }
        Some(id) => id.value,
        None => default_id.to_string(),
    };
    let result = match raw.result {
        Some(r) if !RESULTS.contains(&r.value.as_str()) => {
            let loc = r.referenced;
            return Err(
                Diagnostic::error(format!("unknown case result `{}`", r.value))
                    .in_file(file)
                    .at(Location::from_line_col(
                        source,
                        loc.line() as usize,
                        loc.column() as usize,
                        r.value.chars().count(),
                    ))
                    .hint(format!("`result:` is one of {}", RESULTS.join(", ")))
                    .into(),
            );
        }
        Some(r) => r.value,
        None => String::new(),
    };
    let text = [&raw.situation, &raw.actions, &raw.outcome, &raw.lesson]
        .iter()
        .map(|s| s.trim())
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Case {
        id,
        title: raw.title,
        setback: raw.setback,
        person: raw.person,
        industry: raw.industry,
        seniority: raw.seniority,
        result,
        situation: raw.situation,
        actions: raw.actions,
        outcome: raw.outcome,
        lesson: raw.lesson,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_parts_are_errors_with_a_hint() {
        let text = parse("title: t\nsituation: s\n", "x.yaml", "x")
            .unwrap_err()
            .to_string();
        assert!(text.contains("missing field `actions`"), "{text}");
        assert!(text.contains("= help: a case study has"), "{text}");
    }

    #[test]
    fn an_unknown_result_is_an_error_at_its_value() {
        let text = parse(
            "title: t\nresult: 修好了\nsituation: s\nactions: a\noutcome: o\nlesson: l\n",
            "x.yaml",
            "x",
        )
        .unwrap_err()
        .to_string();
        assert!(text.contains("unknown case result `修好了`"), "{text}");
        assert!(text.contains("x.yaml:2:9"), "{text}");
    }

    #[test]
    fn keeps_markdown_parts() {
        let c = parse(
            "title: t\nsituation: \"**s**\"\nactions: a\noutcome: o\nlesson: l\n",
            "x.yaml",
            "x",
        )
        .unwrap();
        assert_eq!(c.situation, "**s**");
    }
}
