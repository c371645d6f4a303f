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
pub(crate) struct RawChart {
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
pub(crate) struct ChartProblem {
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
    let kind = chart_kind(raw).map_err(|problem| vec![problem])?;
    let mut checker = Checker {
        raw,
        field,
        columns,
        kind,
        problems: Vec::new(),
    };
    let (x, y) = checker.axes();
    let label = raw
        .label
        .as_ref()
        .and_then(|l| checker.lookup("label", l))
        .map(|c| c.id.clone());
    let color = raw.color.as_ref().and_then(|c| checker.color(c));
    let quadrants = checker.quadrants();
    match x {
        Some(x) if checker.problems.is_empty() => Ok(Chart {
            kind,
            title: raw.title.clone(),
            field: field.to_string(),
            x,
            y,
            label,
            color,
            quadrants,
        }),
        _ => Err(checker.problems),
    }
}

/// The chart's `type:`, or why it is not one.
fn chart_kind(raw: &RawChart) -> Result<ChartKind, ChartProblem> {
    if let Some((_, kind)) = CHART_KINDS.iter().find(|(n, _)| *n == raw.kind.value) {
        return Ok(*kind);
    }
    let names: Vec<&str> = CHART_KINDS.iter().map(|(n, _)| *n).collect();
    let message = match did_you_mean(&raw.kind.value, names.iter().copied()) {
        Some(s) => format!(
            "unknown chart type `{}`; did you mean `{s}`?",
            raw.kind.value
        ),
        None => format!("unknown chart type `{}`", raw.kind.value),
    };
    let hint = format!("chart types are: {}", names.join(", "));
    Err(ChartProblem::new(&raw.kind, message, hint))
}

/// One chart being checked against its rows field's columns, collecting every problem.
struct Checker<'a> {
    raw: &'a RawChart,
    field: &'a str,
    columns: &'a [Field],
    kind: ChartKind,
    problems: Vec<ChartProblem>,
}

impl<'a> Checker<'a> {
    /// The column `name` under `key`, or a problem naming the columns there are.
    fn lookup(&mut self, key: &str, name: &Spanned<String>) -> Option<&'a Field> {
        let found = self.columns.iter().find(|c| c.id == name.value);
        if found.is_none() {
            let ids = self.columns.iter().map(|c| c.id.as_str());
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
            let all: Vec<&str> = self.columns.iter().map(|c| c.id.as_str()).collect();
            let hint = format!("the columns of `{}` are: {}", self.field, all.join(", "));
            self.problems.push(ChartProblem::new(name, message, hint));
        }
        found
    }

    /// An axis: a scale column, with its range and end labels.
    fn axis(&mut self, key: &str, name: &Spanned<String>) -> Option<Axis> {
        let column = self.lookup(key, name)?;
        if column.kind != FieldKind::Scale {
            let field = self.field;
            let scales: Vec<&str> = self
                .columns
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
            self.problems.push(ChartProblem::new(name, message, hint));
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
    }

    /// A key this kind of chart does not take.
    fn unused(&mut self, key: &str, value: &Option<Spanned<String>>) {
        if let Some(v) = value {
            let hint = match self.kind {
                ChartKind::Bar => {
                    "a bar chart takes `value:` (a scale column), `label:` and `color:`"
                }
                _ => {
                    "quadrant and scatter charts take `x:` and `y:` (scale columns), `label:` and `color:`"
                }
            };
            let message = format!("a {} chart has no `{key}`", self.raw.kind.value);
            self.problems.push(ChartProblem::new(v, message, hint));
        }
    }

    /// The axis under `key`, which this kind of chart needs.
    fn required_axis(&mut self, key: &str, value: &Option<Spanned<String>>) -> Option<Axis> {
        match value {
            Some(v) => self.axis(key, v),
            None => {
                let message = format!("a {} chart needs `{key}:`", self.raw.kind.value);
                let hint = format!("add `{key}:` naming a scale column of `{}`", self.field);
                self.problems
                    .push(ChartProblem::new(&self.raw.kind, message, hint));
                None
            }
        }
    }

    /// The plotted axes: a bar chart's `value`, or the other kinds' `x` and `y`.
    fn axes(&mut self) -> (Option<Axis>, Option<Axis>) {
        let raw = self.raw;
        if self.kind == ChartKind::Bar {
            self.unused("x", &raw.x);
            self.unused("y", &raw.y);
            (self.required_axis("value", &raw.value), None)
        } else {
            self.unused("value", &raw.value);
            let x = self.required_axis("x", &raw.x);
            let y = self.required_axis("y", &raw.y);
            (x, y)
        }
    }

    /// `color:`: a choice column whose options give the colours.
    fn color(&mut self, c: &Spanned<String>) -> Option<ColorBy> {
        let column = self.lookup("color", c)?;
        if column.kind != FieldKind::Choice {
            let message = format!(
                "the chart's `color` must be a choice column, but `{}` is a {} column",
                c.value,
                column.kind.name()
            );
            self.problems.push(ChartProblem::new(
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
    }

    /// `quadrants:`: four names, on quadrant charts only.
    fn quadrants(&mut self) -> Vec<String> {
        match &self.raw.quadrants {
            Some(q) if self.kind != ChartKind::Quadrant => {
                self.problems.push(ChartProblem::new(
                    q,
                    format!("a {} chart has no `quadrants`", self.raw.kind.value),
                    "only `type: quadrant` charts name their quadrants",
                ));
                Vec::new()
            }
            Some(q) if q.value.len() != 4 => {
                self.problems.push(ChartProblem::new(
                    q,
                    format!("`quadrants` lists {} names, not 4", q.value.len()),
                    "name the four quadrants: top left, top right, bottom left, bottom right",
                ));
                Vec::new()
            }
            Some(q) => q.value.clone(),
            None => Vec::new(),
        }
    }
}
