//! What a changed path means for the site: a pure function from a path to a kind of change (as
//! Zola's `detect_change_kind`), and from the kinds of one burst of changes to a rebuild plan.

use std::path::{Component, Path, PathBuf};

use crate::collections::is_collection_path;
use crate::config::{BookConfig, CONFIG_FILE};

/// The folders and files a book is built from, as the watcher sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub root: PathBuf,
    pub src_dir: PathBuf,
    /// The theme folder in use (`themes/default` when the book has one and names none).
    pub theme_dir: Option<PathBuf>,
    /// `themes/`, where a theme folder may appear.
    pub themes_dir: PathBuf,
    pub build_dir: PathBuf,
    pub extra_watch_dirs: Vec<PathBuf>,
}

impl Layout {
    pub fn of(config: &BookConfig) -> Layout {
        Layout {
            root: config.root.clone(),
            src_dir: config.src_dir.clone(),
            theme_dir: theme_dir(config),
            themes_dir: config.root.join("themes"),
            build_dir: config.build_dir.clone(),
            extra_watch_dirs: config.extra_watch_dirs.clone(),
        }
    }

    /// The layout of a book whose book.toml cannot be read yet: the usual folders.
    pub(crate) fn fallback(root: &Path) -> Layout {
        let src = if !root.join("content").exists() && root.join("src/SUMMARY.md").exists() {
            "src"
        } else {
            "content"
        };
        Layout {
            root: root.to_path_buf(),
            src_dir: root.join(src),
            theme_dir: Some(root.join("themes/default")).filter(|d| d.is_dir()),
            themes_dir: root.join("themes"),
            build_dir: root.join("public"),
            extra_watch_dirs: Vec::new(),
        }
    }
}

/// The theme folder a build reads, as `build::build_site` picks it.
pub(crate) use crate::build::theme_dir;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ChangeKind {
    /// Editor swap, backup and probe files, hidden files, the build folder, unrelated files.
    Ignore,
    /// A stylesheet of the theme: pages stay, browsers swap their stylesheets.
    Stylesheet,
    /// Another static file of the theme (its script, images).
    ThemeAsset,
    /// A chapter, SUMMARY.md, or a file the book copies (images).
    Content,
    /// A worksheet, checklist or case (YAML).
    Collection,
    /// A template, or anything else under `themes/`.
    Template,
    /// book.toml.
    Config,
    /// A file in one of book.toml's `extra-watch-dirs`.
    Extra,
    /// The watcher lost track of events (its queue overflowed): anything may have changed.
    Unknown,
}

/// Classifies one changed path. Pure: looks only at the path and the layout, never at the disk.
pub(crate) fn classify(path: &Path, layout: &Layout) -> ChangeKind {
    if path.starts_with(&layout.build_dir) || is_editor_temp(path) {
        return ChangeKind::Ignore;
    }
    if path == layout.root.join(CONFIG_FILE) {
        return ChangeKind::Config;
    }
    if let Some(theme) = &layout.theme_dir
        && let Ok(rel) = path.strip_prefix(theme)
    {
        if has_hidden_part(rel) {
            return ChangeKind::Ignore;
        }
        return match rel.components().next() {
            Some(Component::Normal(top)) if top == "static" => {
                if rel
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("css"))
                {
                    ChangeKind::Stylesheet
                } else {
                    ChangeKind::ThemeAsset
                }
            }
            _ => ChangeKind::Template,
        };
    }
    if let Ok(rel) = path.strip_prefix(&layout.src_dir) {
        if has_hidden_part(rel) {
            return ChangeKind::Ignore;
        }
        let slash = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let yaml = rel
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        return if yaml && is_collection_path(&slash) {
            ChangeKind::Collection
        } else {
            ChangeKind::Content
        };
    }
    // Another folder under themes/ may become the theme when book.toml names it.
    if let Ok(rel) = path.strip_prefix(&layout.themes_dir) {
        return if has_hidden_part(rel) {
            ChangeKind::Ignore
        } else {
            ChangeKind::Template
        };
    }
    for extra in &layout.extra_watch_dirs {
        if let Ok(rel) = path.strip_prefix(extra) {
            return if has_hidden_part(rel) {
                ChangeKind::Ignore
            } else {
                ChangeKind::Extra
            };
        }
    }
    ChangeKind::Ignore
}

/// Files editors write beside the one being saved: vim's `4913` probe, `.swp` and `~` backups,
/// emacs' `#autosave#` and `.#lock`, JetBrains' `___jb_tmp___`, kate's `.kate-swp`, and hidden
/// files in general (atomic-save temporaries such as `.name.tmp1234` and gedit's
/// `.goutputstream-3F1QZA`).
pub(crate) fn is_editor_temp(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    let name = name.as_ref();
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with("~$")
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".swpx",
            ".kate-swp",
            "___jb_tmp___",
            "___jb_old___",
            ".crswap",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

fn has_hidden_part(rel: &Path) -> bool {
    rel.components().any(|c| match c {
        Component::Normal(part) => part.to_string_lossy().starts_with('.'),
        _ => false,
    })
}

/// How much of the site one burst of changes rebuilds (the larger of two plans covers both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Plan {
    /// Nothing the book is built from changed.
    Nothing,
    /// Only theme stylesheets changed: rebuild, and let browsers swap stylesheets.
    Stylesheets,
    /// Chapters, SUMMARY.md, copied files or theme assets changed: reload the book and the theme,
    /// re-render the Markdown and the pages whose inputs changed, keep the rest.
    Incremental,
    /// Templates, book.toml, collections or extra folders changed: rebuild everything. A
    /// collection item shows on its own page, in the chapters that embed or cite it, in the
    /// toolbox, the case list, the manifest and the search index; a full rebuild is simplest
    /// and still quick.
    Full,
}

impl Plan {
    pub(crate) fn for_changes(kinds: impl IntoIterator<Item = ChangeKind>) -> Plan {
        match kinds.into_iter().max() {
            None | Some(ChangeKind::Ignore) => Plan::Nothing,
            Some(ChangeKind::Stylesheet) => Plan::Stylesheets,
            Some(ChangeKind::ThemeAsset | ChangeKind::Content) => Plan::Incremental,
            Some(_) => Plan::Full,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        let root = PathBuf::from("/book");
        Layout {
            src_dir: root.join("content"),
            theme_dir: Some(root.join("themes/default")),
            themes_dir: root.join("themes"),
            build_dir: root.join("public"),
            extra_watch_dirs: vec![root.join("data")],
            root,
        }
    }

    fn kind(path: &str) -> ChangeKind {
        classify(Path::new(path), &layout())
    }

    #[test]
    fn chapters_and_copied_files_are_content() {
        assert_eq!(kind("/book/content/part1/a.md"), ChangeKind::Content);
        assert_eq!(kind("/book/content/SUMMARY.md"), ChangeKind::Content);
        assert_eq!(kind("/book/content/images/map.png"), ChangeKind::Content);
        assert_eq!(kind("/book/content/第一 章.md"), ChangeKind::Content);
        // A new folder in the source folder may hold chapters.
        assert_eq!(kind("/book/content/part4"), ChangeKind::Content);
    }

    #[test]
    fn collection_yaml_is_a_collection_change() {
        assert_eq!(
            kind("/book/content/worksheets/map.yaml"),
            ChangeKind::Collection
        );
        assert_eq!(
            kind("/book/content/checklists/a/b.yml"),
            ChangeKind::Collection
        );
        assert_eq!(kind("/book/content/cases/x.yaml"), ChangeKind::Collection);
        // YAML elsewhere is a file the book copies.
        assert_eq!(kind("/book/content/data.yaml"), ChangeKind::Content);
        assert_eq!(kind("/book/content/cases.md"), ChangeKind::Content);
    }

    #[test]
    fn theme_files() {
        assert_eq!(
            kind("/book/themes/default/static/style.css"),
            ChangeKind::Stylesheet
        );
        assert_eq!(
            kind("/book/themes/default/static/fonts/a.CSS"),
            ChangeKind::Stylesheet
        );
        assert_eq!(
            kind("/book/themes/default/static/guidebook.js"),
            ChangeKind::ThemeAsset
        );
        assert_eq!(
            kind("/book/themes/default/templates/base.html"),
            ChangeKind::Template
        );
        assert_eq!(
            kind("/book/themes/other/templates/base.html"),
            ChangeKind::Template
        );
    }

    #[test]
    fn config_and_extra_folders_rebuild_everything() {
        assert_eq!(kind("/book/book.toml"), ChangeKind::Config);
        assert_eq!(kind("/book/data/x.csv"), ChangeKind::Extra);
        assert_eq!(
            Plan::for_changes([ChangeKind::Content, ChangeKind::Config]),
            Plan::Full
        );
    }

    #[test]
    fn the_build_folder_and_unrelated_files_are_ignored() {
        assert_eq!(kind("/book/public/index.html"), ChangeKind::Ignore);
        assert_eq!(kind("/book/.public.staging-42/a.html"), ChangeKind::Ignore);
        assert_eq!(kind("/book/README.md"), ChangeKind::Ignore);
        assert_eq!(kind("/book/target/debug/x"), ChangeKind::Ignore);
        assert_eq!(kind("/elsewhere/a.md"), ChangeKind::Ignore);
        assert_eq!(kind("/book/content/.git/index"), ChangeKind::Ignore);
        assert_eq!(kind("/book/content/.hidden/a.md"), ChangeKind::Ignore);
    }

    #[test]
    fn the_build_folder_inside_the_source_folder_is_ignored() {
        let mut l = layout();
        l.src_dir = l.root.clone();
        l.build_dir = l.root.join("book");
        assert_eq!(
            classify(Path::new("/book/book/a.html"), &l),
            ChangeKind::Ignore
        );
        assert_eq!(classify(Path::new("/book/a.md"), &l), ChangeKind::Content);
    }

    #[test]
    fn editor_temporaries_are_ignored() {
        for temp in [
            "/book/content/4913",
            "/book/content/5036",
            "/book/content/a.md~",
            "/book/content/.a.md.swp",
            "/book/content/.a.md.swx",
            "/book/content/a.md.swp",
            "/book/content/#a.md#",
            "/book/content/.#a.md",
            "/book/content/a.md___jb_tmp___",
            "/book/content/a.md___jb_old___",
            "/book/content/a.md.kate-swp",
            "/book/content/.goutputstream-ABC123",
            "/book/content/.a.md.tmp.1234",
            "/book/content/~$report.docx",
            "/book/themes/default/static/.style.css.swp",
            "/book/book.toml~",
        ] {
            assert_eq!(kind(temp), ChangeKind::Ignore, "{temp}");
        }
        assert!(!is_editor_temp(Path::new("/book/content/2024.md")));
        assert!(!is_editor_temp(Path::new("/book/content/a.md")));
    }

    #[test]
    fn plans_take_the_largest_change() {
        use ChangeKind::*;
        assert_eq!(Plan::for_changes([]), Plan::Nothing);
        assert_eq!(Plan::for_changes([Ignore, Ignore]), Plan::Nothing);
        assert_eq!(Plan::for_changes([Stylesheet]), Plan::Stylesheets);
        assert_eq!(Plan::for_changes([Stylesheet, Content]), Plan::Incremental);
        assert_eq!(Plan::for_changes([ThemeAsset]), Plan::Incremental);
        assert_eq!(Plan::for_changes([Content, Collection]), Plan::Full);
        assert_eq!(Plan::for_changes([Template]), Plan::Full);
    }
}
