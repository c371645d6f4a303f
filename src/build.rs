//! The pipeline, top to bottom: config, load, theme, render Markdown, render pages, write.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::book::Book;
use crate::error::Diagnostics;
use crate::render::{RenderOptions, RenderedChapters};
use crate::site::Site;
use crate::theme::Theme;

/// Everything a build produced, kept by `serve` for the next, incremental one.
pub struct Built {
    pub book: Book,
    pub theme: Theme,
    pub rendered: RenderedChapters,
    pub site: Site,
    pub warnings: Diagnostics,
}

/// Builds the book at `root` in memory. On failure the diagnostics include the warnings too.
pub fn build_site(root: &Path, options: RenderOptions) -> Result<Built, Diagnostics> {
    let mut warnings = Diagnostics::default();
    let fail = |warnings: &Diagnostics, errors: Diagnostics| {
        let mut all = errors;
        all.extend(warnings.0.iter().cloned());
        all
    };
    let (config, config_warnings) = crate::config::load(root)?;
    warnings.extend(config_warnings.0);
    let theme_dir = config
        .theme_dir
        .clone()
        .or_else(|| Some(root.join("themes/default")).filter(|d| d.is_dir()));
    let theme = crate::theme::load(theme_dir.as_deref(), root);
    // mdBook: the book's own preprocessors run over the loaded chapters.
    let loaded = crate::load::load_book(config).and_then(|(book, mut w)| {
        let (book, more) = crate::mdbook::preprocessor::run_all(book)?;
        w.extend(more.0);
        Ok((book, w))
    });
    let (book, theme) = match (loaded, theme) {
        (Ok((book, w)), Ok(theme)) => {
            warnings.extend(w.0);
            (book, theme)
        }
        (Err(mut e), Err(t)) => {
            e.extend(t.0);
            return Err(fail(&warnings, e));
        }
        (Err(e), _) | (_, Err(e)) => return Err(fail(&warnings, e)),
    };
    let rendered = crate::render::render_markdown(&book);
    let (site, render_warnings) = crate::render::render_site(&book, &theme, &rendered, options)
        .map_err(|e| fail(&warnings, e))?;
    warnings.extend(render_warnings.0);
    Ok(Built {
        book,
        theme,
        rendered,
        site,
        warnings,
    })
}

pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
    pub warnings: Diagnostics,
}

/// Builds and writes the site to `dest` (default: the book's build-dir), atomically.
pub fn build(root: &Path, dest: Option<&Path>) -> Result<BuildReport, Diagnostics> {
    build_with(root, dest, false)
}

/// `build`, with broken links as errors when `strict` (`guidebook build --strict`).
pub fn build_with(
    root: &Path,
    dest: Option<&Path>,
    strict: bool,
) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let built = build_site(
        root,
        RenderOptions {
            hash_assets: true,
            strict_links: strict,
            ..RenderOptions::default()
        },
    )?;
    let dest = dest
        .map(Path::to_path_buf)
        .unwrap_or_else(|| built.book.config.build_dir.clone());
    crate::output::write_site(&built.site, &dest).map_err(|mut e| {
        e.extend(built.warnings.0.iter().cloned());
        e
    })?;
    Ok(BuildReport {
        pages: built.site.page_count(),
        files: built.site.files.len(),
        bytes: built.site.total_bytes(),
        elapsed: start.elapsed(),
        warnings: built.warnings,
    })
}

/// Validates everything a build would, writing nothing.
pub fn check(root: &Path) -> Result<Diagnostics, Diagnostics> {
    check_with(root, false)
}

/// `check`, with broken links as errors when `strict`.
pub fn check_with(root: &Path, strict: bool) -> Result<Diagnostics, Diagnostics> {
    let options = RenderOptions {
        strict_links: strict,
        ..RenderOptions::default()
    };
    build_site(root, options).map(|b| b.warnings)
}
