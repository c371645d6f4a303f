//! The order mdBook runs preprocessors in: its built-in `links` and `index` and every
//! `[preprocessor.X]` are sorted by their `before` / `after` lists, layer by layer (all those
//! nothing else must precede, then the next layer), names sorted by code point within a layer.
//! So with no ordering keys a preprocessor named `admonish` runs before `index` and `links`,
//! and one named `toc` after them, exactly as in mdBook.

use std::collections::{BTreeMap, BTreeSet};

/// mdBook's built-in preprocessors, run unless `build.use-default-preprocessors = false`.
pub const BUILT_IN: &[&str] = &["links", "index"];

/// One preprocessor's place in the order, as book.toml gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordering {
    pub name: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

/// `before` or `after` of `name` names a preprocessor the book does not run (mdBook warns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub name: String,
    pub key: &'static str,
    pub other: String,
}

/// These preprocessors wait for each other (mdBook fails).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle(pub Vec<String>);

/// The names in running order, and the unknown names met on the way; or the cycle.
pub fn order(
    tables: &[Ordering],
    with_built_in: bool,
) -> Result<(Vec<String>, Vec<Unknown>), Cycle> {
    let mut nodes: BTreeSet<String> = BTreeSet::new();
    if with_built_in {
        nodes.extend(BUILT_IN.iter().map(|s| s.to_string()));
    }
    nodes.extend(tables.iter().map(|t| t.name.clone()));
    // first → the names that must wait for it
    let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
    let mut problems = Vec::new();
    for t in tables {
        for (key, others) in [("before", &t.before), ("after", &t.after)] {
            for other in others {
                if !nodes.contains(other) {
                    problems.push(Unknown {
                        name: t.name.clone(),
                        key,
                        other: other.clone(),
                    });
                    continue;
                }
                let edge = if key == "before" {
                    (t.name.clone(), other.clone())
                } else {
                    (other.clone(), t.name.clone())
                };
                if edge.0 != edge.1 {
                    edges.insert(edge);
                }
            }
        }
    }
    let mut waiting: BTreeMap<&str, usize> = nodes.iter().map(|n| (n.as_str(), 0)).collect();
    for (_, later) in &edges {
        *waiting.get_mut(later.as_str()).expect("a node") += 1;
    }
    let mut ordered = Vec::new();
    while !waiting.is_empty() {
        // BTreeMap keys come sorted by code point, as mdBook sorts a layer.
        let layer: Vec<String> = waiting
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(name, _)| name.to_string())
            .collect();
        if layer.is_empty() {
            return Err(Cycle(waiting.keys().map(|k| k.to_string()).collect()));
        }
        for name in &layer {
            waiting.remove(name.as_str());
            for (_, later) in edges.iter().filter(|(first, _)| first == name) {
                if let Some(n) = waiting.get_mut(later.as_str()) {
                    *n -= 1;
                }
            }
        }
        ordered.extend(layer);
    }
    Ok((ordered, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, before: &[&str], after: &[&str]) -> Ordering {
        let strings = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        Ordering {
            name: name.into(),
            before: strings(before),
            after: strings(after),
        }
    }

    #[test]
    fn layers_sorted_by_name_as_mdbook_runs_them() {
        let (names, problems) =
            order(&[table("toc", &[], &[]), table("admonish", &[], &[])], true).unwrap();
        assert_eq!(names, ["admonish", "index", "links", "toc"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn before_and_after_move_a_preprocessor_around_links() {
        let (names, _) = order(
            &[
                table("zeta", &["links"], &[]),
                table("alpha", &[], &["links"]),
                table("mid", &[], &["alpha"]),
            ],
            true,
        )
        .unwrap();
        assert_eq!(names, ["index", "zeta", "links", "alpha", "mid"]);
    }

    #[test]
    fn unknown_names_are_reported_and_cycles_fail() {
        let (names, problems) = order(&[table("a", &["nothing"], &[])], false).unwrap();
        assert_eq!(names, ["a"]);
        assert_eq!(
            problems,
            [Unknown {
                name: "a".into(),
                key: "before",
                other: "nothing".into()
            }]
        );
        // Without the built-in ones, `links` is unknown too.
        let (_, problems) = order(&[table("a", &["links"], &[])], false).unwrap();
        assert_eq!(problems.len(), 1);
        let cycle = order(&[table("a", &["b"], &[]), table("b", &["a"], &[])], true);
        assert_eq!(cycle, Err(Cycle(vec!["a".into(), "b".into()])));
    }
}
