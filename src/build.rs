//! The pipeline, top to bottom: config, load (book and theme), render Markdown, check links,
//! the index, render pages, each file streaming into an `OutputSink` as it is made (a build's
//! staging folder, swapped in at the end). `serve` runs the same stages (see
//! `serve::incremental`) into its in-memory site, reusing what a change cannot have touched.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::book::Book;
use crate::config::BookConfig;
use crate::error::Diagnostics;
use crate::output::{OutputSink, Recorder, Written};
use crate::render::{RenderOptions, ReuseMarkdown, ReusePage, Scope, reuse_nothing};
use crate::rendered::{RenderedBook, RenderedChapters};
use crate::theme::Theme;

/// Everything a build produced besides its files, kept by `serve` for the next, incremental one.
pub struct Built {
    pub book: Book,
    pub theme: Theme,
    /// Read by serve's next rebuild only.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) rendered: RenderedChapters,
    /// What went into the sink.
    pub written: Written,
    /// Chapter pages rendered rather than reused.
    pub rendered_pages: usize,
    pub warnings: Diagnostics,
    /// How long each stage took, in order (printed with `-v`).
    pub stage_times: Vec<StageTime>,
}

impl Built {
    /// What a build reports, the book, theme and rendered chapters being freed on a thread of
    /// their own (a quarter of a second at 50,000 chapters) while the site is swapped in.
    fn into_report_parts(self) -> (Written, Diagnostics, Vec<StageTime>) {
        let Built {
            book,
            theme,
            rendered,
            written,
            warnings,
            stage_times,
            ..
        } = self;
        std::thread::spawn(move || drop((book, theme, rendered)));
        (written, warnings, stage_times)
    }

    /// The book with its rendered Markdown.
    #[cfg(feature = "serve")]
    pub(crate) fn rendered_book(&self) -> RenderedBook<'_> {
        RenderedBook::new(&self.book, &self.rendered)
    }
}

/// One stage of a build: how long it took, and the process's peak memory once it was done.
#[derive(Debug, Clone, Copy)]
pub struct StageTime {
    pub stage: &'static str,
    pub elapsed: Duration,
    /// Peak resident memory so far, in KiB (Linux only): the stage where it rises set the peak.
    pub peak_rss_kib: Option<u64>,
    /// CPU time the stage used on all threads (Linux only).
    pub cpu: Option<Duration>,
}

/// Times the stages of one build.
#[derive(Default)]
pub(crate) struct StageTimes {
    times: Vec<StageTime>,
    /// Skip giving freed memory back after each stage (a few milliseconds each): serve's
    /// rebuilds are small and frequent.
    keep_freed_memory: bool,
}

impl StageTimes {
    #[cfg(feature = "serve")]
    pub(crate) fn keeping_freed_memory() -> StageTimes {
        StageTimes {
            times: Vec::new(),
            keep_freed_memory: true,
        }
    }

    pub fn run<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let cpu_before = crate::memory::cpu_time();
        let value = f();
        let cpu = crate::memory::cpu_time()
            .zip(cpu_before)
            .map(|(after, before)| after.saturating_sub(before));
        // Read before trimming: what the stage itself held.
        let peak_rss_kib = crate::memory::peak_rss_kib();
        if !self.keep_freed_memory {
            crate::memory::release_free_memory();
        }
        self.times.push(StageTime {
            stage,
            elapsed: start.elapsed(),
            peak_rss_kib,
            cpu,
        });
        value
    }

    pub(crate) fn into_vec(self) -> Vec<StageTime> {
        self.times
    }
}

/// The book's theme folder: `theme` from book.toml, else `themes/default` if the book has one.
pub(crate) fn theme_dir(config: &BookConfig) -> Option<PathBuf> {
    config
        .theme_dir
        .clone()
        .or_else(|| Some(config.root.join("themes/default")).filter(|d| d.is_dir()))
}

/// The book (read by `read_book`: all of it, or in `serve` only what changed) and its theme,
/// loaded side by side; errors from both are reported together.
pub fn load(
    config: BookConfig,
    read_book: impl FnOnce(BookConfig) -> Result<(Book, Diagnostics), Diagnostics> + Send,
) -> Result<(Book, Theme, Diagnostics), Diagnostics> {
    let theme_dir = theme_dir(&config);
    let root = config.root.clone();
    let (loaded, theme) = rayon::join(
        || read_book(config),
        || crate::theme::load(theme_dir.as_deref(), &root),
    );
    match (loaded, theme) {
        (Ok((book, warnings)), Ok(theme)) => Ok((book, theme, warnings)),
        (Err(mut e), Err(t)) => {
            e.extend(t);
            Err(e)
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// The whole book, then the book's own mdBook preprocessors over it.
pub(crate) fn load_and_preprocess(config: BookConfig) -> Result<(Book, Diagnostics), Diagnostics> {
    let (book, mut warnings) = crate::load::load_book(config)?;
    let (book, more) = crate::mdbook::preprocessor::run_all(book)?;
    warnings.extend(more);
    Ok((book, warnings))
}

/// The chapters whose Markdown changed, when nothing they changed shows on other pages (serve
/// compares, given the new rendered Markdown); `None` for a build.
pub(crate) type OnlyChangedChapters<'a> = &'a (dyn Fn(RenderedBook) -> Option<Vec<usize>> + Sync);

/// What the stages after loading take besides the book: `build_site` reuses nothing; serve's
/// rebuild passes what it may keep and leaves the index for after the browsers' reload.
pub(crate) struct StageInputs<'a> {
    pub options: RenderOptions,
    pub with_index: bool,
    pub reuse_markdown: ReuseMarkdown<'a>,
    pub reuse_page: ReusePage<'a>,
    /// With such chapters, links are checked in them alone and only chapter pages are written.
    pub only_changed: OnlyChangedChapters<'a>,
}

impl StageInputs<'_> {
    /// A build's: every stage runs over the whole book, reusing nothing.
    pub(crate) fn whole_book(options: RenderOptions) -> StageInputs<'static> {
        StageInputs {
            options,
            with_index: true,
            reuse_markdown: &reuse_nothing,
            reuse_page: &|_| None,
            only_changed: &|_| None,
        }
    }
}

/// The book the stages render.
pub(crate) enum StagedBook<'a> {
    /// A build's: each chapter's source goes to the Markdown stage, which frees it once rendered
    /// (160 MB at 50,000 chapters); the few it cannot take are freed once links are checked.
    Releasing(&'a mut Book),
    /// Serve's, kept whole: the next rebuild compares each chapter's source with the edited one.
    Keeping(&'a Book),
}

impl StagedBook<'_> {
    fn get(&self) -> &Book {
        match self {
            StagedBook::Releasing(book) => book,
            StagedBook::Keeping(book) => book,
        }
    }
}

/// The stages after loading, the same for a build and serve's rebuild: Markdown, links, the index,
/// pages, written into `sink`. Their warnings join `warnings`; an error comes back with all of
/// them. Returns the rendered Markdown and how many chapter pages were rendered.
pub(crate) fn render_stages(
    mut staged: StagedBook,
    theme: &Theme,
    inputs: StageInputs,
    sink: &Recorder,
    times: &mut StageTimes,
    warnings: &mut Diagnostics,
) -> Result<(RenderedChapters, usize), Diagnostics> {
    let fail = |warnings: &Diagnostics, mut errors: Diagnostics| {
        errors.extend(warnings.iter().cloned());
        errors
    };
    let options = inputs.options;
    let taken = match &mut staged {
        StagedBook::Releasing(book) => book.take_sources(),
        StagedBook::Keeping(_) => Vec::new(),
    };
    let book = staged.get();
    // A build into a staging folder keeps the chapters' HTML there until the page stage.
    let spill = sink.scratch_dir().and_then(crate::spill::HtmlSpill::create);
    let rendered = times
        .run("markdown", || {
            crate::render::render_markdown(
                book,
                theme,
                inputs.reuse_markdown,
                (spill.as_ref(), taken),
            )
        })
        .map_err(|e| fail(warnings, e))?;
    let only_changed = (inputs.only_changed)(RenderedBook::new(book, &rendered));
    let scope = only_changed.as_deref().map_or(Scope::Book, Scope::Only);
    let link_warnings = times
        .run("links", || {
            crate::render::check_links(RenderedBook::new(book, &rendered), options, scope)
        })
        .map_err(|e| fail(warnings, e))?;
    warnings.extend(link_warnings);
    if let StagedBook::Releasing(book) = &mut staged {
        book.release_sources();
        crate::memory::release_free_memory();
    }
    let book = staged.get();
    let both = RenderedBook::new(book, &rendered);
    let pages_with = |index: Option<crate::render::BookIndex>| {
        crate::render::render_pages(
            both,
            theme,
            (options, scope),
            index,
            inputs.reuse_page,
            sink,
        )
    };
    // The index is built beside the page stage (0.8 s sooner at 50,000 chapters, its files being
    // named before it is built); one stage in `-v`, as each slows the other.
    let pages = match inputs.with_index {
        true => times.run("index+pages", || {
            crate::render::render_book_index(both, options.hash_assets, sink, |index| {
                pages_with(Some(index))
            })
            .and_then(|pages| pages)
        }),
        false => times.run("pages", || pages_with(None)),
    }
    .map_err(|e| fail(warnings, e))?;
    warnings.extend(pages.warnings);
    Ok((rendered, pages.rendered_pages))
}

/// `render_stages` for the book, then for each of its other languages (built whole, under their
/// prefixes), all into `sink`: what a build and serve's rebuild both run after loading.
pub(crate) fn render_all_languages(
    (book, translations): (StagedBook, &mut [Book]),
    theme: &Theme,
    inputs: StageInputs,
    sink: &Recorder,
    times: &mut StageTimes,
    warnings: &mut Diagnostics,
) -> Result<(RenderedChapters, usize), Diagnostics> {
    let options = inputs.options;
    let release = matches!(book, StagedBook::Releasing(_));
    let done = render_stages(book, theme, inputs, sink, times, warnings)?;
    times.run("translations", || {
        crate::languages::render_translations(
            translations,
            theme,
            (options, release),
            sink,
            warnings,
        )
    })?;
    Ok(done)
}

/// Builds the book at `root` stage by stage, each file going into `sink` as it is made. On
/// failure the diagnostics include the warnings too.
pub fn build_site(
    root: &Path,
    options: RenderOptions,
    sink: &dyn OutputSink,
) -> Result<Built, Diagnostics> {
    let mut times = StageTimes::default();
    let (config, config_warnings) = times.run("config", || crate::config::load(root))?;
    build_loaded(config, config_warnings, options, sink, times)
}

/// `build_site` once book.toml is read.
fn build_loaded(
    config: BookConfig,
    mut warnings: Diagnostics,
    options: RenderOptions,
    sink: &dyn OutputSink,
    mut times: StageTimes,
) -> Result<Built, Diagnostics> {
    let (mut book, theme, load_warnings) = times
        .run("load", || load(config, load_and_preprocess))
        .map_err(|mut e| {
            e.extend(warnings.iter().cloned());
            e
        })?;
    warnings.extend(load_warnings);
    // The other languages: loaded and linked with this one before any page is rendered, since
    // every page links its counterparts.
    let (translations, translation_warnings) = times
        .run("languages", || {
            crate::languages::load_translations(&mut book, &theme)
        })
        .map_err(|mut e| {
            e.extend(warnings.iter().cloned());
            e
        })?;
    warnings.extend(translation_warnings);
    let recorder = Recorder::new(sink);
    let mut translations = translations;
    let (rendered, rendered_pages) = render_all_languages(
        (StagedBook::Releasing(&mut book), &mut translations),
        &theme,
        StageInputs::whole_book(options),
        &recorder,
        &mut times,
        &mut warnings,
    )?;
    Ok(Built {
        book,
        theme,
        rendered,
        written: recorder.totals(),
        rendered_pages,
        warnings,
        stage_times: times.into_vec(),
    })
}

pub struct BuildReport {
    pub pages: usize,
    /// Each stage's time, the write last.
    pub stage_times: Vec<StageTime>,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
    pub warnings: Diagnostics,
}

/// How `build` may treat the destination and broken links.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BuildOptions {
    /// Replace a destination that is not a previous build (`--force`).
    pub force: bool,
    /// Broken links are errors, even in a book laid out for mdBook (`--strict`).
    pub strict: bool,
}

/// Builds and writes the site to `dest` (default: the book's build-dir), atomically.
pub fn build(root: &Path, dest: Option<&Path>) -> Result<BuildReport, Diagnostics> {
    build_with(root, dest, BuildOptions::default())
}

/// `build`, with `--force` and `--strict`.
pub(crate) fn build_with(
    root: &Path,
    dest: Option<&Path>,
    options: BuildOptions,
) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let render = RenderOptions {
        hash_assets: true,
        strict_links: options.strict,
    };
    let mut times = StageTimes::default();
    let (config, config_warnings) = times.run("config", || crate::config::load(root))?;
    let dest = crate::output::Destination::choose(dest, &config, options.force);
    let book_config = config.clone();
    let mut build_time = Duration::ZERO;
    let built = crate::output::write_atomically(&dest, &book_config, |sink| {
        let build_start = Instant::now();
        let built = build_loaded(config, config_warnings, render, sink, times);
        build_time = build_start.elapsed();
        built.map(Built::into_report_parts)
    })?;
    let (written, warnings, mut stage_times) = built;
    let config_time = stage_times.first().map_or(Duration::ZERO, |t| t.elapsed);
    // The checks, staging folder, marker files and swap; the files went in during the stages.
    let write = start.elapsed().saturating_sub(config_time + build_time);
    stage_times.push(StageTime {
        stage: "write",
        elapsed: write,
        peak_rss_kib: crate::memory::peak_rss_kib(),
        cpu: None,
    });
    Ok(BuildReport {
        stage_times,
        pages: written.pages,
        files: written.files,
        bytes: written.bytes,
        elapsed: start.elapsed(),
        warnings,
    })
}

/// Validates everything a build would, writing nothing.
pub fn check(root: &Path) -> Result<Diagnostics, Diagnostics> {
    check_with(root, false)
}

/// `check`, with broken links as errors when `strict`.
pub(crate) fn check_with(root: &Path, strict: bool) -> Result<Diagnostics, Diagnostics> {
    let options = RenderOptions {
        strict_links: strict,
        ..RenderOptions::default()
    };
    build_site(root, options, &crate::output::Discard).map(|b| b.warnings)
}
