//! Where a site may be written, and where it may not: never over the book's own files, the user's
//! home or `/`, and never over a folder guidebook did not make unless the author says `--force`.

use std::path::{Component, Path, PathBuf};

use crate::config::BookConfig;
use crate::error::Diagnostic;

/// The file every finished build holds, written last: only folders that have it are replaced or
/// cleaned without `--force`.
pub(crate) const BUILD_MARKER: &str = ".guidebook-build";
/// Written first into a staging folder, so a killed build's leftovers are known to be ours.
pub(crate) const STAGING_MARKER: &str = ".guidebook-staging";

/// Which setting chose the destination, so errors can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Setting {
    /// `-d` / `--dest-dir` on the command line.
    DestFlag,
    /// `build-dir` in book.toml (or its default).
    BuildDir,
}

impl Setting {
    fn name(self) -> &'static str {
        match self {
            Setting::DestFlag => "-d",
            Setting::BuildDir => "build-dir",
        }
    }

    fn fix(self) -> &'static str {
        match self {
            Setting::DestFlag => "pass another folder to `-d`, for example `-d public`",
            Setting::BuildDir => {
                "set `build-dir` under `[build]` in book.toml to another folder, for example `build-dir = \"public\"`"
            }
        }
    }
}

/// What is about to happen to the destination, for the wording of a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Write,
    Remove,
}

/// A folder the site is to be written to, and how it was chosen.
#[derive(Debug, Clone)]
pub(crate) struct Destination {
    pub path: PathBuf,
    pub setting: Setting,
    /// Replace a non-empty folder that is not a previous build (`--force`).
    pub force: bool,
}

impl Destination {
    /// The destination `-d` names, else the book's build-dir.
    pub(crate) fn choose(
        dest_flag: Option<&Path>,
        config: &BookConfig,
        force: bool,
    ) -> Destination {
        match dest_flag {
            Some(path) => Destination {
                path: path.to_path_buf(),
                setting: Setting::DestFlag,
                force,
            },
            None => Destination {
                path: config.build_dir.clone(),
                setting: Setting::BuildDir,
                force,
            },
        }
    }
}

/// What the destination holds today.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Existing {
    Nothing,
    EmptyFolder,
    PreviousBuild,
    /// A non-empty folder without the build marker: someone's own files.
    ForeignFolder,
}

/// Refuses a destination that is, or contains, one of the book's own folders, the user's home or
/// `/`; one inside the source, theme or watched folders (builds would nest or loop); and a file.
pub(crate) fn check_safe(
    dest: &Destination,
    config: &BookConfig,
    action: Action,
) -> Result<(), Diagnostic> {
    let target = resolve(&dest.path);
    let verb = match action {
        Action::Write => "write the site to",
        Action::Remove => "remove",
    };
    let refuse = |what: String| {
        Diagnostic::error(format!(
            "refusing to {verb} `{}` (set by `{}`): {what}",
            dest.path.display(),
            dest.setting.name()
        ))
        .hint(format!("nothing was changed; {}", dest.setting.fix()))
    };
    if target.parent().is_none() {
        return Err(refuse("it is the file system's root".into()));
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    if home.is_some_and(|home| target == resolve(Path::new(&home))) {
        return Err(refuse("it is your home folder".into()));
    }
    // A book whose source folder is its root keeps its build inside it; the scan skips it.
    let src_is_root = resolve(&config.src_dir) == resolve(&config.root);
    for (folder, what) in protected_folders(config) {
        let folder = resolve(&folder);
        if target == folder {
            return Err(refuse(format!(
                "it is the book's {what}, which would be replaced"
            )));
        }
        if folder.starts_with(&target) {
            return Err(refuse(format!(
                "it contains the book's {what} `{}`, which would be replaced",
                shown(&folder, config)
            )));
        }
        let inside_allowed = what == "root folder" || (what == "source folder" && src_is_root);
        if !inside_allowed && target.starts_with(&folder) {
            let why = if what == "source folder" {
                "its files would be copied into every later build"
            } else {
                "every build would trigger another"
            };
            return Err(refuse(format!(
                "it is inside the book's {what} `{}`: {why}",
                shown(&folder, config)
            )));
        }
    }
    if target.is_file() {
        return Err(refuse("it is a file, not a folder".into()));
    }
    Ok(())
}

/// Refuses a non-empty folder that is not a previous build, unless `--force`.
pub(crate) fn check_replaceable(dest: &Destination) -> Result<Existing, Diagnostic> {
    let existing = inspect(&dest.path)?;
    if existing == Existing::ForeignFolder && !dest.force {
        let flag = match dest.setting {
            Setting::DestFlag => "-d",
            Setting::BuildDir => "the build-dir",
        };
        return Err(Diagnostic::error(format!(
            "refusing to replace `{}` (set by `{}`): it holds files and is not a guidebook build (it has no `{BUILD_MARKER}` file)",
            dest.path.display(),
            dest.setting.name()
        ))
        .hint(format!(
            "nothing was changed; choose an empty or new folder for {flag}, or pass `--force` to replace this folder and everything in it"
        )));
    }
    Ok(existing)
}

pub(crate) fn inspect(path: &Path) -> Result<Existing, Diagnostic> {
    let mut entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(crate::error::io_error("read", path, &e)),
    };
    if path.join(BUILD_MARKER).is_file() {
        Ok(Existing::PreviousBuild)
    } else if entries.next().is_none() {
        Ok(Existing::EmptyFolder)
    } else {
        Ok(Existing::ForeignFolder)
    }
}

/// The folders a destination must never replace, with how errors name them.
fn protected_folders(config: &BookConfig) -> Vec<(PathBuf, &'static str)> {
    let mut folders = vec![
        (config.root.clone(), "root folder"),
        (config.src_dir.clone(), "source folder"),
        (config.root.join("themes"), "theme folder"),
    ];
    if let Some(theme) = &config.theme_dir {
        folders.push((theme.clone(), "theme folder"));
    }
    for dir in &config.extra_watch_dirs {
        folders.push((dir.clone(), "watched folder (extra-watch-dirs)"));
    }
    folders
}

fn shown(folder: &Path, config: &BookConfig) -> String {
    let root = resolve(&config.root);
    match folder.strip_prefix(&root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => folder.display().to_string(),
    }
}

/// An absolute path with symlinks resolved as far as the path exists and `.`/`..` applied to
/// the rest, so that `-d ./content/../content` and a symlink to the book are both recognised.
pub(crate) fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                push_lexically(&mut out, part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(Component::Normal(name));
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = PathBuf::from("/");
    for part in absolute.components() {
        push_lexically(&mut out, &part);
    }
    out
}

fn push_lexically(out: &mut PathBuf, part: &Component) {
    match part {
        Component::ParentDir => {
            out.pop();
        }
        Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        Component::Normal(name) => out.push(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_applies_dots_past_the_existing_part() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        assert_eq!(resolve(&dir.path().join("a/../b/./c")), base.join("b/c"));
        assert_eq!(resolve(&dir.path().join("..")), base.parent().unwrap());
    }

    #[test]
    fn an_empty_folder_and_a_marked_one_are_replaceable() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            inspect(&dir.path().join("none")).unwrap(),
            Existing::Nothing
        );
        assert_eq!(inspect(dir.path()).unwrap(), Existing::EmptyFolder);
        std::fs::write(dir.path().join("mine.txt"), "x").unwrap();
        assert_eq!(inspect(dir.path()).unwrap(), Existing::ForeignFolder);
        std::fs::write(dir.path().join(BUILD_MARKER), "").unwrap();
        assert_eq!(inspect(dir.path()).unwrap(), Existing::PreviousBuild);
    }
}
