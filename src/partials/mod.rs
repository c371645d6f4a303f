//! The theme's partials (`templates/partials/*.html`): the markup of worksheets, checklists, case
//! cards, the table of contents, alerts and heading anchors. Each is rendered from a `Serialize`
//! view (see `views`) through the theme's one Tera instance, so a book that overrides a partial
//! changes that markup on every page. Links inside partials start with `root`, which here is the
//! root marker, resolved per page later.

pub(crate) mod views;

use serde::Serialize;

use crate::error::Diagnostic;
use crate::i18n::template_words;
use crate::theme::Theme;
use crate::url::ROOT_MARKER;

pub(crate) const WORKSHEET: &str = "partials/worksheet.html";
pub(crate) const CHECKLIST: &str = "partials/checklist.html";
pub(crate) const CASE_CARD: &str = "partials/case-card.html";
pub(crate) const TOC: &str = "partials/toc.html";
pub(crate) const SIDEBAR: &str = "partials/sidebar.html";
pub(crate) const ALERT: &str = "partials/alert.html";
pub(crate) const HEADING: &str = "partials/heading.html";
pub(crate) const TASK_LIST: &str = "partials/task-list.html";

/// Stands for a wrapper's content while its partial renders (see `Partials::wrapper`).
const CONTENT_SLOT: &str = "%%gb-content%%";

/// Renders partials with the words of the book's language.
pub struct Partials<'a> {
    theme: &'a Theme,
    /// `ui` and `root`, built once: every render clones it (cheap, the values are shared).
    base: tera::Context,
    /// The words the Markdown stage's own code-block markup shows.
    code_words: CodeWords,
    /// With the built-in heading partial, its anchor label, escaped: headings are then made
    /// without Tera (see `heading`).
    built_in_heading: Option<String>,
}

impl<'a> Partials<'a> {
    pub fn new(theme: &'a Theme, language: &str) -> Partials<'a> {
        let words = theme.words(language);
        let mut base = tera::Context::new();
        base.insert("ui", &template_words(&words));
        base.insert("root", ROOT_MARKER);
        let built_in_heading = theme.is_built_in(HEADING).then(|| {
            let label = words.page.get("heading_anchor").map_or("", String::as_str);
            crate::html::escape(label)
        });
        Partials {
            theme,
            base,
            code_words: CodeWords::from_table(&words),
            built_in_heading,
        }
    }

    /// A heading's markup before and after its text, through `partials/heading.html`. The
    /// built-in partial is written here directly, exactly as Tera renders it (a test checks
    /// they agree): a large book has hundreds of thousands of headings, and a Tera render for
    /// each was a tenth of the Markdown stage.
    pub(crate) fn heading(
        &self,
        view: &views::HeadingView,
    ) -> Result<(String, String), Diagnostic> {
        match &self.built_in_heading {
            Some(label) => Ok(views::built_in_heading(view, label)),
            None => self.wrapper(HEADING, "heading", view),
        }
    }

    pub(crate) fn code_words(&self) -> &CodeWords {
        &self.code_words
    }

    /// How error messages name a template: the book's override, or the built-in file.
    pub(crate) fn shown_path(&self, template: &str) -> String {
        self.theme.shown_path(template).to_string()
    }

    /// Renders `template` with `view` under the name `key`.
    pub fn render(
        &self,
        template: &str,
        key: &'static str,
        view: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        let mut ctx = self.base.clone();
        ctx.insert(key, view);
        self.theme.render(template, &ctx)
    }

    /// Renders a partial that wraps content rendered elsewhere (an alert's body) and returns the
    /// markup before and after `{{ content }}`.
    pub(crate) fn wrapper(
        &self,
        template: &str,
        key: &'static str,
        view: &impl Serialize,
    ) -> Result<(String, String), Diagnostic> {
        let mut ctx = self.base.clone();
        ctx.insert(key, view);
        ctx.insert("content", CONTENT_SLOT);
        let html = self.theme.render(template, &ctx)?;
        match html.split_once(CONTENT_SLOT) {
            Some((open, close)) => Ok((open.to_string(), close.to_string())),
            None => Err(Diagnostic::error(format!(
                "template `{template}` does not show its content"
            ))
            .in_file(self.theme.shown_path(template))
            .hint("a wrapping partial must contain `{{ content | safe }}` once")),
        }
    }
}

/// The words code blocks show, from the book's words table (so a book's
/// `themes/<name>/i18n/<language>.toml` changes them as it changes every other word), escaped
/// for the attributes and label they go in.
#[derive(Debug, Clone)]
pub(crate) struct CodeWords {
    pub show_hidden: String,
    pub copy: String,
    pub copied: String,
}

impl CodeWords {
    pub(crate) fn from_table(words: &crate::i18n::WordTable) -> CodeWords {
        let word = |key: &str| crate::html::escape(words.page.get(key).map_or(key, String::as_str));
        CodeWords {
            show_hidden: word("code_show_hidden"),
            copy: word("code_copy"),
            copied: word("code_copied"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::views::{HeadingView, built_in_heading};
    use super::*;

    #[test]
    fn built_in_headings_are_what_tera_renders() {
        let dir = tempfile::tempdir().unwrap();
        let theme = crate::theme::load(None, dir.path()).unwrap();
        for language in ["zh-CN", "en"] {
            let partials = Partials::new(&theme, language);
            let label = partials
                .built_in_heading
                .clone()
                .expect("the built-in partial");
            for (level, id, classes, has_link) in [
                (1, "intro", "", false),
                (2, "反思窗口", "", true),
                (3, "a&b\"c'<d>", "x y", false),
                (6, "id", "a\"b&c", true),
                (4, "", "", false),
            ] {
                let view = HeadingView {
                    level,
                    id,
                    href: crate::url::encode_path(id),
                    classes: classes.to_string(),
                    has_link,
                };
                assert_eq!(
                    built_in_heading(&view, &label),
                    partials.wrapper(HEADING, "heading", &view).unwrap(),
                    "{language} {id}"
                );
            }
        }
    }
}
