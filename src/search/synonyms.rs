//! Synonyms applied at query time: a query holding a key is also searched with the key replaced
//! by each of its synonyms (ranked a little lower). Each language has a small table; a book adds
//! or overrides entries with `[output.html.search.synonyms]` in book.toml.

use std::collections::BTreeMap;

use crate::i18n::Lang;

/// What a Chinese book's readers type for what its text says; English keys too, as readers mix.
const ZH: &[(&str, &[&str])] = &[
    ("领导", &["上级", "老板"]),
    ("老板", &["上级", "领导"]),
    ("经理", &["上级"]),
    ("上司", &["上级"]),
    ("主管", &["上级"]),
    ("follow up", &["跟进"]),
    ("followup", &["跟进"]),
    ("linkedin", &["领英"]),
    ("领英", &["linkedin"]),
    ("mentor", &["导师"]),
    ("sponsor", &["赞助人"]),
    ("feedback", &["反馈"]),
    ("one on one", &["一对一"]),
    ("1on1", &["一对一"]),
    ("被裁", &["裁员"]),
    ("炒鱿鱼", &["裁员", "离职"]),
    ("跳槽", &["换工作", "离职"]),
    ("辞职", &["离职"]),
    ("背锅", &["责任", "担责"]),
    ("甩锅", &["推卸"]),
    ("道歉", &["认错"]),
    ("认错", &["道歉"]),
    ("交流", &["沟通"]),
    ("聊天", &["谈话", "沟通"]),
    ("对话", &["谈话"]),
    ("前同事", &["老同事"]),
    ("老同事", &["前同事"]),
    ("总结", &["复盘"]),
    ("人际关系", &["关系"]),
    ("焦虑", &["情绪"]),
];

const EN: &[(&str, &[&str])] = &[
    ("boss", &["manager"]),
    ("supervisor", &["manager"]),
    ("lead", &["manager"]),
    ("followup", &["follow up"]),
    ("laid off", &["layoff"]),
    ("fired", &["layoff"]),
    ("coworker", &["colleague"]),
    ("co-worker", &["colleague"]),
    ("retro", &["retrospective"]),
    ("postmortem", &["retrospective"]),
    ("apology", &["apologise", "apologize"]),
];

/// The language's table with the book's entries on top, keys and synonyms lower-cased as the
/// browser lower-cases queries.
pub(crate) fn table(
    lang: Lang,
    book: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    let builtin = match lang {
        Lang::Zh => ZH,
        Lang::En => EN,
    };
    let mut table: BTreeMap<String, Vec<String>> = builtin
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect();
    for (key, synonyms) in book {
        let key = key.trim().to_lowercase();
        let synonyms: Vec<String> = synonyms
            .iter()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty() && *s != key)
            .collect();
        if key.is_empty() {
            continue;
        }
        if synonyms.is_empty() {
            // `key = []` removes a built-in entry.
            table.remove(&key);
        } else {
            table.insert(key, synonyms);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_book_adds_overrides_and_removes_entries() {
        let book: BTreeMap<String, Vec<String>> = [
            ("OKR".to_string(), vec!["目标".to_string()]),
            ("领导".to_string(), vec!["直属上级".to_string()]),
            ("老板".to_string(), vec![]),
        ]
        .into_iter()
        .collect();
        let table = table(Lang::Zh, &book);
        assert_eq!(table["okr"], vec!["目标"]);
        assert_eq!(table["领导"], vec!["直属上级"]);
        assert!(!table.contains_key("老板"));
        assert_eq!(table["linkedin"], vec!["领英"]);
    }
}
