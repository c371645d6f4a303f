//! mdBook's `git-repository-url` and `git-repository-icon`: a link to the book's repository in
//! the top bar (`partials/repository-link.html`). mdBook draws a Font Awesome icon; guidebook
//! draws its own small inline SVG, so the page makes no request for an icon font.

use serde::Serialize;

/// What the repository-link partial gets as `repository`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepositoryView {
    pub url: String,
    /// The hosting service's name when it is a well-known one ("GitHub"), for the link's label.
    pub host: Option<&'static str>,
    /// Inline SVG, drawn in the text colour.
    pub icon: &'static str,
}

/// A branching history: guidebook's default repository icon.
const FORK_ICON: &str = "<svg class=\"repository-icon\" viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\"><circle cx=\"6\" cy=\"5\" r=\"2\"/><circle cx=\"18\" cy=\"5\" r=\"2\"/><circle cx=\"12\" cy=\"19\" r=\"2\"/><path d=\"M6 7v1a4 4 0 0 0 4 4h4a4 4 0 0 0 4-4V7M12 12v5\"/></svg>";

/// Angle brackets, for `git-repository-icon = "fa-code"`.
const CODE_ICON: &str = "<svg class=\"repository-icon\" viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\"><path d=\"M8 6l-6 6 6 6M16 6l6 6-6 6\"/></svg>";

const KNOWN_HOSTS: &[(&str, &str)] = &[
    ("github.com", "GitHub"),
    ("gitlab.com", "GitLab"),
    ("codeberg.org", "Codeberg"),
    ("bitbucket.org", "Bitbucket"),
    ("git.sr.ht", "sourcehut"),
];

/// The top bar's repository link, when book.toml sets `git-repository-url`.
pub fn view(url: Option<&str>, icon: Option<&str>) -> Option<RepositoryView> {
    let url = url.map(str::trim).filter(|u| !u.is_empty())?;
    let host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or("")
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    let host = KNOWN_HOSTS
        .iter()
        .find(|(domain, _)| *domain == host)
        .map(|(_, name)| *name);
    // mdBook's names are Font Awesome's (`fa-github`, `fa-code-fork`); only "code" draws brackets.
    let icon = match icon.map(|i| i.trim().rsplit('-').next().unwrap_or(i)) {
        Some("code") => CODE_ICON,
        _ => FORK_ICON,
    };
    Some(RepositoryView {
        url: url.to_string(),
        host,
        icon,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_hosts_and_picks_the_icon() {
        let v = view(Some("https://github.com/rust-lang/mdBook"), None).unwrap();
        assert_eq!(v.host, Some("GitHub"));
        assert_eq!(v.icon, FORK_ICON);
        let v = view(Some("https://git.example.org/book"), Some("fa-code")).unwrap();
        assert_eq!(v.host, None);
        assert_eq!(v.icon, CODE_ICON);
        assert_eq!(view(Some("  "), None), None);
        assert_eq!(view(None, Some("fa-code")), None);
    }
}
