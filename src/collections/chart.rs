//! Charts a `rows` field declares with `chart:`: a quadrant or scatter of two scale columns, or a
//! bar chart of one. Checked against the field's columns here; drawn in the browser from the
//! reader's answers by the theme's `guidebook-plan.js`.

use serde::{Deserialize, Serialize};
use serde_saphyr::{Location, Spanned};

use super::worksheet::{Field, FieldKind};
use crate::error::did_you_mean;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    Quadrant,
    Scatter,
    Bar,
}

const CHART_KINDS: &[(&str, ChartKind)] = &[
    ("quadrant", ChartKind::Quadrant),
    ("scatter", ChartKind::Scatter),
    ("bar", ChartKind::Bar),
];

/// A checked chart, with what the browser needs about each column it uses.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    #[serde(rename = "type")]
    pub kind: ChartKind,
    pub title: String,
    /// The field (a `rows` field) whose rows are plotted.
    pub field: String,
    /// Horizontal axis (quadrant, scatter) or the bar length (bar).
    pub x: Axis,
    /// Vertical axis; only quadrant and scatter charts have one.
    pub y: Option<Axis>,
    /// The column naming each mark.
    pub label: Option<String>,
    pub color: Option<ColorBy>,
    /// Quadrant names: top left, top right, bottom left, bottom right.
    pub quadrants: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Axis {
    pub column: String,
    pub label: String,
    pub min: f64,
    pub max: f64,
    pub min_label: String,
    pub max_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColorBy {
    pub column: String,
    pub options: Vec<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawChart {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    #[serde(default)]
    title: String,
    x: Option<Spanned<String>>,
    y: Option<Spanned<String>>,
    value: Option<Spanned<String>>,
    label: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
    quadrants: Option<Spanned<Vec<String>>>,
}

/// One thing wrong with a chart, where it is in the file.
pub struct ChartProblem {
    pub at: Location,
    pub message: String,
    pub hint: String,
}

impl ChartProblem {
    fn new<T>(at: &Spanned<T>, message: String, hint: impl Into<String>) -> ChartProblem {
        ChartProblem {
            at: at.referenced,
            message,
            hint: hint.into(),
        }
    }
}

/// Checks `raw` against the columns of the rows field `field`; every problem is returned.
pub fn check(raw: &RawChart, field: &str, columns: &[Field]) -> Result<Chart, Vec<ChartProblem>> {
    let mut problems = Vec::new();
    let Some(kind) = CHART_KINDS
        .iter()
        .find(|(n, _)| *n == raw.kind.value)
        .map(|(_, k)| *k)
    else {
        let names: Vec<&str> = CHART_KINDS.iter().map(|(n, _)| *n).collect();
        let message = match did_you_mean(&raw.kind.value, names.iter().copied()) {
            Some(s) => format!(
                "unknown chart type `{}`; did you mean `{s}`?",
                raw.kind.value
            ),
            None => format!("unknown chart type `{}`", raw.kind.value),
        };
        let hint = format!("chart types are: {}", names.join(", "));
        return Err(vec![ChartProblem::new(&raw.kind, message, hint)]);
    };
    let lookup = |key: &str, name: &Spanned<String>, problems: &mut Vec<ChartProblem>| {
        let found = columns.iter().find(|c| c.id == name.value);
        if found.is_none() {
            let ids = columns.iter().map(|c| c.id.as_str());
            let message = match did_you_mean(&name.value, ids) {
                Some(s) => format!(
                    "the chart's `{key}` names an unknown column `{}`; did you mean `{s}`?",
                    name.value
                ),
                None => format!(
                    "the chart's `{key}` names an unknown column `{}`",
                    name.value
                ),
            };
            let all: Vec<&str> = columns.iter().map(|c| c.id.as_str()).collect();
            let hint = format!("the columns of `{field}` are: {}", all.join(", "));
            problems.push(ChartProblem::new(name, message, hint));
        }
        found
    };
    let axis = |key: &str, name: &Spanned<String>, problems: &mut Vec<ChartProblem>| {
        let column = lookup(key, name, problems)?;
        if column.kind != FieldKind::Scale {
            let scales: Vec<&str> = columns
                .iter()
                .filter(|c| c.kind == FieldKind::Scale)
                .map(|c| c.id.as_str())
                .collect();
            let hint = if scales.is_empty() {
                format!("add a `type: scale` column to `{field}` for the chart to plot")
            } else {
                format!("the scale columns of `{field}` are: {}", scales.join(", "))
            };
            let message = format!(
                "the chart's `{key}` must be a scale column, but `{}` is a {} column",
                name.value,
                column.kind.name()
            );
            problems.push(ChartProblem::new(name, message, hint));
            return None;
        }
        Some(Axis {
            column: column.id.clone(),
            label: column.label.clone(),
            min: column.min.unwrap_or(1.0),
            max: column.max.unwrap_or(5.0),
            min_label: column.min_label.clone(),
            max_label: column.max_label.clone(),
        })
    };
    let unused = |key: &str, value: &Option<Spanned<String>>, problems: &mut Vec<ChartProblem>| {
        if let Some(v) = value {
            let hint = match kind {
                ChartKind::Bar => {
                    "a bar chart takes `value:` (a scale column), `label:` and `color:`"
                }
                _ => {
                    "quadrant and scatter charts take `x:` and `y:` (scale columns), `label:` and `color:`"
                }
            };
            let message = format!("a {} chart has no `{key}`", raw.kind.value);
            problems.push(ChartProblem::new(v, message, hint));
        }
    };
    let required = |key: &str, problems: &mut Vec<ChartProblem>| {
        let message = format!("a {} chart needs `{key}:`", raw.kind.value);
        let hint = format!("add `{key}:` naming a scale column of `{field}`");
        problems.push(ChartProblem::new(&raw.kind, message, hint));
    };
    let (x, y) = if kind == ChartKind::Bar {
        unused("x", &raw.x, &mut problems);
        unused("y", &raw.y, &mut problems);
        let value = match &raw.value {
            Some(v) => axis("value", v, &mut problems),
            None => {
                required("value", &mut problems);
                None
            }
        };
        (value, None)
    } else {
        unused("value", &raw.value, &mut problems);
        let mut pick = |key: &str, value: &Option<Spanned<String>>| match value {
            Some(v) => axis(key, v, &mut problems),
            None => {
                required(key, &mut problems);
                None
            }
        };
        let x = pick("x", &raw.x);
        let y = pick("y", &raw.y);
        (x, y)
    };
    let label = raw
        .label
        .as_ref()
        .and_then(|l| lookup("label", l, &mut problems))
        .map(|c| c.id.clone());
    let color = raw.color.as_ref().and_then(|c| {
        let column = lookup("color", c, &mut problems)?;
        if column.kind != FieldKind::Choice {
            let message = format!(
                "the chart's `color` must be a choice column, but `{}` is a {} column",
                c.value,
                column.kind.name()
            );
            problems.push(ChartProblem::new(
                c,
                message,
                "colours come from the options of a `type: choice` column",
            ));
            return None;
        }
        Some(ColorBy {
            column: column.id.clone(),
            options: column.options.clone(),
        })
    });
    let quadrants = match &raw.quadrants {
        Some(q) if kind != ChartKind::Quadrant => {
            problems.push(ChartProblem::new(
                q,
                format!("a {} chart has no `quadrants`", raw.kind.value),
                "only `type: quadrant` charts name their quadrants",
            ));
            Vec::new()
        }
        Some(q) if q.value.len() != 4 => {
            problems.push(ChartProblem::new(
                q,
                format!("`quadrants` lists {} names, not 4", q.value.len()),
                "name the four quadrants: top left, top right, bottom left, bottom right",
            ));
            Vec::new()
        }
        Some(q) => q.value.clone(),
        None => Vec::new(),
    };
    match x {
        Some(x) if problems.is_empty() => Ok(Chart {
            kind,
            title: raw.title.clone(),
            field: field.to_string(),
            x,
            y,
            label,
            color,
            quadrants,
        }),
        _ => Err(problems),
    }
}
