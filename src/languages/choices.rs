//! Choice answers are stored by option position (`"2"`), so a reader who switches language keeps
//! them. Answers saved before hold an option's text, in the book's own language (books had one
//! language then): each translated choice carries the default language's option texts, by
//! position, into its form (`data-aliases`), so the theme script can turn such a text into its
//! position on any edition's page.

use std::collections::HashMap;

use crate::book::Book;
use crate::collections::worksheet::Field;

/// Gives every choice of `translation`'s worksheets the option texts of the same worksheet and
/// field in `original`.
pub fn add_option_aliases(original: &Book, translation: &mut Book) {
    let originals: HashMap<&str, HashMap<String, &Field>> = original
        .collections
        .worksheets
        .iter()
        .map(|ws| {
            let mut fields = HashMap::new();
            for field in ws.fields() {
                fields.insert(field.id.clone(), field);
                for column in &field.columns {
                    fields.insert(format!("{}/{}", field.id, column.id), column);
                }
            }
            (ws.id.as_str(), fields)
        })
        .collect();
    for ws in &mut translation.collections.worksheets {
        let Some(fields) = originals.get(ws.id.as_str()) else {
            continue;
        };
        for section in &mut ws.sections {
            for field in &mut section.fields {
                alias(field, fields.get(&field.id));
                let id = field.id.clone();
                for column in &mut field.columns {
                    alias(column, fields.get(&format!("{id}/{}", column.id)));
                }
            }
        }
    }
}

fn alias(field: &mut Field, original: Option<&&Field>) {
    if let Some(original) = original.filter(|o| o.kind.has_options() && field.kind.has_options()) {
        field.option_aliases = original.options.clone();
    }
}
