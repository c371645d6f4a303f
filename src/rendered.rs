//! Each chapter's rendered Markdown, kept in step with the book's chapters: `RenderedChapters` is
//! made only by the Markdown stage, one entry per chapter in the book's order, and is read
//! through `RenderedBook`, which hands out each chapter together with its own output. No stage
//! matches the two up by position itself.

use std::sync::Arc;

use rayon::prelude::*;

use crate::book::{Book, Chapter};
use crate::markdown::Rendered;

/// The rendered Markdown of every chapter of one book, in its chapter order; kept between
/// rebuilds while serving, where unchanged chapters share their `Arc` with the previous build.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderedChapters(Vec<Arc<Rendered>>);

impl RenderedChapters {
    /// The Markdown stage's output: one per chapter of the book, in its order.
    pub(crate) fn from_stage(rendered: Vec<Arc<Rendered>>) -> RenderedChapters {
        RenderedChapters(rendered)
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Chapter `index`'s output, shared (serve keeps it for the next rebuild).
    #[cfg(feature = "serve")]
    pub(crate) fn shared(&self, index: usize) -> Option<&Arc<Rendered>> {
        self.0.get(index)
    }
}

/// A chapter with its rendered Markdown and its place in the book.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RenderedChapter<'a> {
    pub index: usize,
    pub chapter: &'a Chapter,
    pub rendered: &'a Arc<Rendered>,
}

/// A book and its rendered Markdown, read chapter by chapter.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RenderedBook<'a> {
    pub book: &'a Book,
    rendered: &'a RenderedChapters,
}

impl<'a> RenderedBook<'a> {
    /// Pairs `book` with the Markdown stage's output for it.
    ///
    /// # Panics
    /// When `rendered` was not made from this book's chapters (a programming error: only the
    /// Markdown stage makes `RenderedChapters`, one per chapter).
    pub(crate) fn new(book: &'a Book, rendered: &'a RenderedChapters) -> RenderedBook<'a> {
        assert_eq!(
            book.chapters.len(),
            rendered.len(),
            "rendered Markdown of another book"
        );
        RenderedBook { book, rendered }
    }

    /// Chapter `index` with its output.
    pub(crate) fn chapter(self, index: usize) -> RenderedChapter<'a> {
        RenderedChapter {
            index,
            chapter: &self.book.chapters[index],
            rendered: &self.rendered.0[index],
        }
    }

    /// Every chapter with its output, in the book's order.
    pub(crate) fn chapters(self) -> impl DoubleEndedIterator<Item = RenderedChapter<'a>> + Clone {
        (0..self.book.chapters.len()).map(move |i| self.chapter(i))
    }

    /// `chapters`, in parallel.
    pub(crate) fn par_chapters(self) -> impl IndexedParallelIterator<Item = RenderedChapter<'a>> {
        (0..self.book.chapters.len())
            .into_par_iter()
            .map(move |i| self.chapter(i))
    }
}
