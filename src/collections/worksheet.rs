//! Worksheets: YAML files of sections and typed fields, validated with positions.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::chart::{self, Chart, RawChart};
use crate::error::{Diagnostic, Diagnostics, Location, did_you_mean};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    Text,
    Textarea,
    Number,
    Date,
    Choice,
    MultiChoice,
    Scale,
    Checklist,
    Rows,
}

const KINDS: &[(&str, FieldKind)] = &[
    ("text", FieldKind::Text),
    ("textarea", FieldKind::Textarea),
    ("number", FieldKind::Number),
    ("date", FieldKind::Date),
    ("choice", FieldKind::Choice),
    ("multi-choice", FieldKind::MultiChoice),
    ("scale", FieldKind::Scale),
    ("checklist", FieldKind::Checklist),
    ("rows", FieldKind::Rows),
];

impl FieldKind {
    pub(crate) fn name(self) -> &'static str {
        KINDS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("text", |(n, _)| n)
    }
    pub(crate) fn has_options(self) -> bool {
        matches!(
            self,
            FieldKind::Choice | FieldKind::MultiChoice | FieldKind::Checklist
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Worksheet {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Markdown.
    pub intro: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub title: String,
    /// Markdown.
    pub intro: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub id: String,
    pub kind: FieldKind,
    pub label: String,
    pub help: String,
    pub placeholder: String,
    pub required: bool,
    pub options: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub step: Option<f64>,
    pub min_label: String,
    pub max_label: String,
    pub columns: Vec<Field>,
    /// A rows field's chart of its rows.
    pub chart: Option<Chart>,
    /// In a translation: the default language's option texts, by position, so answers saved as
    /// text there are recognised here (see `languages::choices`).
    pub option_aliases: Vec<String>,
}

impl Worksheet {
    pub(crate) fn fields(&self) -> impl Iterator<Item = &Field> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawWorksheet {
    id: Option<Spanned<String>>,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    intro: String,
    sections: Vec<RawSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSection {
    title: String,
    #[serde(default)]
    intro: String,
    fields: Vec<RawField>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawField {
    id: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    label: String,
    #[serde(default)]
    help: String,
    #[serde(default)]
    placeholder: String,
    #[serde(default)]
    required: bool,
    options: Option<Spanned<Vec<String>>>,
    min: Option<Spanned<f64>>,
    max: Option<Spanned<f64>>,
    step: Option<f64>,
    #[serde(default)]
    min_label: String,
    #[serde(default)]
    max_label: String,
    columns: Option<Spanned<Vec<RawField>>>,
    chart: Option<Spanned<RawChart>>,
}

/// Parses and validates one worksheet file; `default_id` is its file name.
pub fn parse(source: &str, file: &str, default_id: &str) -> Result<Worksheet, Diagnostics> {
    let raw: RawWorksheet = crate::yaml::from_str(source).map_err(|e| {
        Diagnostics::from(
            e.into_diagnostic(source, 0, file)
                .hint_if_none(WORKSHEET_HINT),
        )
    })?;
    let mut v = Validator {
        source,
        file,
        errors: Diagnostics::default(),
    };
    let id = match &raw.id {
        Some(id) => {
            v.check_id(id, "worksheet");
            id.value.clone()
        }
        None => default_id.to_string(),
    };
    let mut seen = HashSet::new();
    let mut sections = Vec::new();
    for section in raw.sections {
        let mut fields = Vec::new();
        for field in section.fields {
            if !seen.insert(field.id.value.clone()) {
                v.error_at(
                    &field.id,
                    format!("duplicate field id `{}` in this worksheet", field.id.value),
                    "every field needs its own id: answers are saved under it",
                );
            }
            if let Some(f) = v.field(field, true) {
                fields.push(f);
            }
        }
        sections.push(Section {
            title: section.title,
            intro: section.intro,
            fields,
        });
    }
    if sections.iter().all(|s| s.fields.is_empty()) {
        v.errors.push(Diagnostic::error("a worksheet needs at least one field").in_file(file)
            .hint("add `fields:` with at least one `- id: ..., type: text, label: ...` to a section"));
    }
    if v.errors.has_errors() {
        return Err(v.errors);
    }
    Ok(Worksheet {
        id,
        title: raw.title,
        description: raw.description,
        intro: raw.intro,
        sections,
    })
}

const WORKSHEET_HINT: &str = "a worksheet has `title:`, optional `id:`, `description:`, `intro:`, and `sections:`, each with `title:` and `fields:`";

struct Validator<'a> {
    source: &'a str,
    file: &'a str,
    errors: Diagnostics,
}

trait HintIfNone {
    fn hint_if_none(self, hint: &str) -> Self;
}

impl HintIfNone for Diagnostic {
    fn hint_if_none(self, hint: &str) -> Self {
        if self.hint.is_some() {
            self
        } else {
            self.hint(hint)
        }
    }
}

impl Validator<'_> {
    fn error_at<T>(&mut self, at: &Spanned<T>, message: String, hint: &str) {
        self.error_at_location(at.referenced, message, hint);
    }

    fn error_at_location(&mut self, loc: serde_saphyr::Location, message: String, hint: &str) {
        let width = loc.span().byte_len().unwrap_or(1) as usize;
        let location = match loc.span().byte_offset() {
            Some(offset) => Location::from_offset(self.source, offset as usize, width),
            None => {
                Location::from_line_col(self.source, loc.line() as usize, loc.column() as usize, 1)
            }
        };
        self.errors.push(
            Diagnostic::error(message)
                .in_file(self.file)
                .at(location)
                .hint(hint),
        );
    }

    fn check_id(&mut self, id: &Spanned<String>, what: &str) {
        if !valid_id(&id.value) {
            self.error_at(
                id,
                format!("invalid {what} id `{}`", id.value),
                "ids use lower-case letters a-z, digits, `-` and `_`",
            );
        }
    }

    fn field(&mut self, raw: RawField, allow_rows: bool) -> Option<Field> {
        if !valid_id(&raw.id.value) {
            self.check_id(&raw.id, "field");
        }
        let kind = self.kind(&raw, allow_rows)?;
        let options = self.options(&raw, kind);
        let (min, max) = self.range(&raw, kind);
        let columns = self.columns(&raw, kind);
        let chart = raw
            .chart
            .as_ref()
            .and_then(|c| self.chart(c, kind, &raw.id.value, &raw.label, &columns));
        Some(Field {
            id: raw.id.value,
            kind,
            label: raw.label,
            help: raw.help,
            placeholder: raw.placeholder,
            required: raw.required,
            options,
            min,
            max,
            step: raw.step,
            min_label: raw.min_label,
            max_label: raw.max_label,
            columns,
            chart,
            option_aliases: Vec::new(),
        })
    }

    /// The field's type, if it is a known one and allowed here.
    fn kind(&mut self, raw: &RawField, allow_rows: bool) -> Option<FieldKind> {
        let Some(kind) = KINDS
            .iter()
            .find(|(n, _)| *n == raw.kind.value)
            .map(|(_, k)| *k)
        else {
            let names: Vec<&str> = KINDS.iter().map(|(n, _)| *n).collect();
            let message = match did_you_mean(&raw.kind.value, names.iter().copied()) {
                Some(s) => format!(
                    "unknown field type `{}`; did you mean `{s}`?",
                    raw.kind.value
                ),
                None => format!("unknown field type `{}`", raw.kind.value),
            };
            self.error_at(
                &raw.kind,
                message,
                &format!("field types are: {}", names.join(", ")),
            );
            return None;
        };
        if kind == FieldKind::Rows && !allow_rows {
            self.error_at(
                &raw.kind,
                "a `rows` field cannot be nested in another `rows` field".into(),
                "use a column of another type",
            );
            return None;
        }
        Some(kind)
    }

    /// The options of a choice field: present where the type needs them, each listed once.
    fn options(&mut self, raw: &RawField, kind: FieldKind) -> Vec<String> {
        let options = raw
            .options
            .as_ref()
            .map(|o| o.value.clone())
            .unwrap_or_default();
        if kind.has_options() && options.is_empty() {
            let message = format!(
                "the {} field `{}` has no options",
                kind.name(),
                raw.id.value
            );
            match &raw.options {
                Some(o) => self.error_at(o, message, "list the choices: `options: [甲, 乙, 丙]`"),
                None => self.error_at(
                    &raw.kind,
                    message,
                    "add `options: [甲, 乙, 丙]` to the field",
                ),
            }
        }
        if let Some(o) = &raw.options {
            let mut seen = HashSet::new();
            if let Some(dup) = o.value.iter().find(|x| !seen.insert(x.as_str())) {
                self.error_at(
                    o,
                    format!("option `{dup}` is listed twice"),
                    "each option must be different",
                );
            }
        }
        options
    }

    /// `min` and `max`: a scale's whole-number range (1 to 5 by default), else any ordered pair.
    fn range(&mut self, raw: &RawField, kind: FieldKind) -> (Option<f64>, Option<f64>) {
        let (min, max) = (
            raw.min.as_ref().map(|m| m.value),
            raw.max.as_ref().map(|m| m.value),
        );
        if kind == FieldKind::Scale {
            let (lo, hi) = (min.unwrap_or(1.0), max.unwrap_or(5.0));
            let at = raw.min.as_ref().or(raw.max.as_ref());
            let bad = lo.fract() != 0.0 || hi.fract() != 0.0 || lo >= hi || hi - lo > 10.0;
            if bad {
                let message = format!("bad scale range {lo}..{hi} for field `{}`", raw.id.value);
                let hint = "a scale runs between whole numbers with min < max and at most 11 steps, e.g. `min: 1` and `max: 5`";
                match at {
                    Some(at) => self.error_at(at, message, hint),
                    None => self.error_at(&raw.kind, message, hint),
                }
            }
            return (Some(lo), Some(hi));
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            self.error_at(
                raw.min.as_ref().expect("min is set"),
                format!("min {lo} is larger than max {hi}"),
                "swap the two values",
            );
        }
        (min, max)
    }

    /// The columns of a rows field, each a field of its own; other types have none.
    fn columns(&mut self, raw: &RawField, kind: FieldKind) -> Vec<Field> {
        let mut columns = Vec::new();
        match (&raw.columns, kind) {
            (Some(_), FieldKind::Rows) | (None, _) => {}
            (Some(c), _) => self.error_at(
                c,
                "only `rows` fields have `columns`".into(),
                "remove `columns:` or use `type: rows`",
            ),
        }
        if kind != FieldKind::Rows {
            return columns;
        }
        match &raw.columns {
            Some(cols) if !cols.value.is_empty() => {
                let mut seen = HashSet::new();
                for col in cols.value.iter().cloned() {
                    if !seen.insert(col.id.value.clone()) {
                        self.error_at(
                            &col.id,
                            format!("duplicate column id `{}`", col.id.value),
                            "every column needs its own id",
                        );
                    }
                    if let Some(c) = self.field(col, false) {
                        columns.push(c);
                    }
                }
            }
            _ => self.error_at(
                &raw.kind,
                format!("the rows field `{}` has no columns", raw.id.value),
                "add `columns:` with at least one `- {id: name, type: text, label: 姓名}`",
            ),
        }
        columns
    }

    fn chart(
        &mut self,
        raw: &Spanned<RawChart>,
        kind: FieldKind,
        field: &str,
        label: &str,
        columns: &[Field],
    ) -> Option<Chart> {
        if kind != FieldKind::Rows {
            self.error_at(
                raw,
                format!(
                    "only `rows` fields take `chart:`, and `{field}` is a {} field",
                    kind.name()
                ),
                "move `chart:` to a `type: rows` field, or remove it",
            );
            return None;
        }
        match chart::check(&raw.value, field, columns) {
            Ok(mut chart) => {
                if chart.title.is_empty() {
                    chart.title = label.to_string();
                }
                Some(chart)
            }
            Err(problems) => {
                for p in problems {
                    self.error_at_location(p.at, p.message, &p.hint);
                }
                None
            }
        }
    }
}

pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "title: 关系地图\nsections:\n  - title: 人\n    fields:\n      - id: people\n        type: rows\n        label: 名单\n        columns:\n          - { id: name, type: text, label: 姓名 }\n          - { id: warmth, type: scale, label: 温度 }\n      - id: mood\n        type: scale\n        label: 情绪\n        min-label: 激动\n        max-label: 平静\n";

    fn errors(src: &str) -> String {
        parse(src, "content/worksheets/w.yaml", "w")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn parses_a_valid_worksheet() {
        let w = parse(GOOD, "w.yaml", "map").unwrap();
        assert_eq!(w.id, "map");
        let fields: Vec<_> = w.fields().collect();
        assert_eq!(fields[0].kind, FieldKind::Rows);
        assert_eq!(fields[0].columns[1].max, Some(5.0));
        assert_eq!(fields[1].min_label, "激动");
    }

    #[test]
    fn unknown_type_suggests_the_right_one() {
        let text = errors(&GOOD.replace(
            "type: scale\n        label: 情绪",
            "type: scal\n        label: 情绪",
        ));
        assert!(
            text.contains("error: unknown field type `scal`; did you mean `scale`?"),
            "{text}"
        );
        assert!(text.contains("content/worksheets/w.yaml:12:15"), "{text}");
        assert!(
            text.contains("12 |         type: scal\n   |               ^^^^"),
            "{text}"
        );
    }

    #[test]
    fn reports_all_problems_at_once() {
        let src = "title: t\nsections:\n  - title: s\n    fields:\n      - { id: a, type: choice, label: A }\n      - { id: a, type: text, label: B }\n      - { id: s, type: scale, label: S, min: 5, max: 1 }\n";
        let text = errors(src);
        assert!(
            text.contains("the choice field `a` has no options"),
            "{text}"
        );
        assert!(text.contains("duplicate field id `a`"), "{text}");
        assert!(text.contains("bad scale range 5..1"), "{text}");
        assert!(text.contains("w.yaml:7:"), "{text}");
    }

    const CHARTED: &str = "title: 关系地图\nsections:\n  - title: 人\n    fields:\n      - id: people\n        type: rows\n        label: 名单\n        chart: { type: quadrant, x: warmth, y: impact, label: name, color: kind }\n        columns:\n          - { id: name, type: text, label: 姓名 }\n          - { id: kind, type: choice, label: 类型, options: [上级, 同事] }\n          - { id: warmth, type: scale, label: 温度 }\n          - { id: impact, type: scale, label: 影响, min: 1, max: 5 }\n";

    #[test]
    fn a_rows_field_takes_a_chart() {
        let w = parse(CHARTED, "w.yaml", "map").unwrap();
        let chart = w.fields().next().unwrap().chart.as_ref().unwrap();
        assert_eq!(chart.kind, chart::ChartKind::Quadrant);
        assert_eq!(chart.title, "名单");
        assert_eq!(chart.x.column, "warmth");
        assert_eq!(chart.y.as_ref().unwrap().label, "影响");
        assert_eq!(chart.color.as_ref().unwrap().options, ["上级", "同事"]);
    }

    #[test]
    fn chart_columns_are_checked_with_suggestions() {
        let text = errors(&CHARTED.replace(
            "y: impact, label: name, color: kind",
            "y: impakt, label: name, color: warmth",
        ));
        let line = "8 |         chart: { type: quadrant, x: warmth, y: impakt, label: name, color: warmth }";
        assert_eq!(
            text,
            format!(
                "error: the chart's `y` names an unknown column `impakt`; did you mean `impact`?\n --> content/worksheets/w.yaml:8:48\n  |\n{line}\n  |{}^^^^^^\n  = help: the columns of `people` are: name, kind, warmth, impact\n\nerror: the chart's `color` must be a choice column, but `warmth` is a scale column\n --> content/worksheets/w.yaml:8:76\n  |\n{line}\n  |{}^^^^^^\n  = help: colours come from the options of a `type: choice` column\n",
                " ".repeat(48),
                " ".repeat(76)
            )
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_a_suggestion() {
        let text = errors(
            "title: t\nsections:\n  - title: s\n    fields:\n      - { id: a, type: text, lable: A }\n",
        );
        assert!(
            text.contains("unknown key `lable`; did you mean `label`?"),
            "{text}"
        );
        assert!(text.contains("w.yaml:5:"), "{text}");
    }
}
