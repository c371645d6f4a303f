//! Reusable checklists kept in YAML and embedded in any number of chapters.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::error::{Diagnostic, Diagnostics};

#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Markdown.
    pub intro: String,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistItem {
    pub id: String,
    /// One line of inline Markdown.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    id: Option<Spanned<String>>,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    intro: String,
    items: Spanned<Vec<RawItem>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawItem {
    Text(String),
    WithId { id: String, text: String },
}

pub fn parse(source: &str, file: &str, default_id: &str) -> Result<Checklist, Diagnostics> {
    let raw: RawChecklist = crate::yaml::from_str(source).map_err(|e| {
        let d = e.into_diagnostic(source, 0, file);
        let d = if d.hint.is_none() {
            d.hint("a checklist has `title:`, optional `id:`, `description:`, `intro:`, and `items:` (a list of texts or `{id: x, text: ...}`)")
        } else {
            d
        };
        Diagnostics::from(d)
    })?;
    let mut errors = Diagnostics::default();
    let at = |s: &Spanned<Vec<RawItem>>| {
        let loc = s.referenced;
        crate::error::Location::from_line_col(source, loc.line() as usize, loc.column() as usize, 1)
    };
    let id = match raw.id {
        Some(id) if !super::worksheet::valid_id(&id.value) => {
            let loc = id.referenced;
            errors.push(
                Diagnostic::error(format!("invalid checklist id `{}`", id.value))
                    .in_file(file)
                    .at(crate::error::Location::from_line_col(
                        source,
                        loc.line() as usize,
                        loc.column() as usize,
                        id.value.chars().count(),
                    ))
                    .hint("ids use lower-case letters a-z, digits, `-` and `_`"),
            );
            id.value
        }
        Some(id) => id.value,
        None => default_id.to_string(),
    };
    if raw.items.value.is_empty() {
        errors.push(
            Diagnostic::error("a checklist needs at least one item")
                .in_file(file)
                .at(at(&raw.items))
                .hint("add items: `items: [第一件事, 第二件事]`"),
        );
    }
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for item in &raw.items.value {
        let (id, text) = match item {
            RawItem::Text(text) => (crate::slug::text_id(text), text.clone()),
            RawItem::WithId { id, text } => (id.clone(), text.clone()),
        };
        if !seen.insert(id.clone()) {
            errors.push(
                Diagnostic::error(format!("checklist item `{text}` is listed twice"))
                    .in_file(file)
                    .at(at(&raw.items))
                    .hint("give one of the two an explicit `{id: ..., text: ...}` or remove it"),
            );
        }
        items.push(ChecklistItem { id, text });
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(Checklist {
        id,
        title: raw.title,
        description: raw.description,
        intro: raw.intro,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_ids_come_from_text_or_explicit_ids() {
        let c = parse(
            "title: 谈话之前\nitems:\n  - 情绪平稳\n  - { id: calm, text: 想好一句话 }\n",
            "c.yaml",
            "before",
        )
        .unwrap();
        assert_eq!(c.id, "before");
        assert_eq!(c.items[0].id, crate::slug::text_id("情绪平稳"));
        assert_eq!(c.items[1].id, "calm");
    }

    #[test]
    fn duplicates_and_empty_lists_are_errors() {
        let text = parse("title: t\nitems:\n  - a\n  - a\n", "c.yaml", "c")
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("checklist item `a` is listed twice"),
            "{text}"
        );
        let text = parse("title: t\nitems: []\n", "c.yaml", "c")
            .unwrap_err()
            .to_string();
        assert!(text.contains("at least one item"), "{text}");
    }
}
