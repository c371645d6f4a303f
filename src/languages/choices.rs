//! Choice answers are stored by option position (`"2"`), so a reader who switches language keeps
//! them. Answers saved before hold an option's text; the manifest gives each choice's texts in
//! every language, by position, so the theme script can turn such a text into its position.

use std::collections::BTreeMap;

use crate::book::Book;
use crate::collections::worksheet::Field;

/// By worksheet id, then field path (`field`, or `field/column` in a rows table): each option's
/// texts, in every language that has the worksheet.
pub type OptionTexts = BTreeMap<String, BTreeMap<String, Vec<Vec<String>>>>;

pub fn option_texts<'a>(books: impl IntoIterator<Item = &'a Book>) -> OptionTexts {
    let mut texts = OptionTexts::new();
    for book in books {
        for ws in &book.collections.worksheets {
            let sheet = texts.entry(ws.id.clone()).or_default();
            for field in ws.fields() {
                add(sheet, field.id.clone(), field);
                for column in &field.columns {
                    add(sheet, format!("{}/{}", field.id, column.id), column);
                }
            }
        }
    }
    texts.retain(|_, sheet| !sheet.is_empty());
    texts
}

fn add(sheet: &mut BTreeMap<String, Vec<Vec<String>>>, path: String, field: &Field) {
    if !field.kind.has_options() {
        return;
    }
    let positions = sheet.entry(path).or_default();
    for (i, option) in field.options.iter().enumerate() {
        if positions.len() <= i {
            positions.push(Vec::new());
        }
        if !positions[i].contains(option) {
            positions[i].push(option.clone());
        }
    }
}
