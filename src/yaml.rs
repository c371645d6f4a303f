//! YAML through serde-saphyr, with its errors turned into our diagnostics.

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Location, did_you_mean};

pub struct YamlError {
    message: String,
    line: Option<usize>,
    column: usize,
}

pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_saphyr::from_str::<T>(text).map_err(|e| {
        let location = e.location();
        let mut message = e.without_snippet().to_string();
        // The plain rendering ends with " at line L, column C"; we show positions ourselves.
        if let Some(i) = message.rfind(" at line ") {
            message.truncate(i);
        }
        YamlError {
            message,
            line: location.map(|l| l.line() as usize),
            column: location.map_or(1, |l| l.column() as usize),
        }
    })
}

impl YamlError {
    /// `source` is the whole file and the YAML starts `line_offset` lines into it.
    pub fn into_diagnostic(self, source: &str, line_offset: usize, file: &str) -> Diagnostic {
        let mut d = Diagnostic::error(format!("invalid YAML: {}", self.message)).in_file(file);
        if let Some(line) = self.line {
            let line = line + line_offset;
            let text = source.lines().nth(line - 1).unwrap_or("");
            let width = text
                .chars()
                .skip(self.column - 1)
                .take_while(|c| !c.is_whitespace() && *c != ':')
                .count();
            d = d.at(Location::from_line_col(source, line, self.column, width));
        }
        if let Some((field, expected)) = unknown_field(&self.message) {
            let candidates: Vec<&str> = expected.split(", ").collect();
            if let Some(s) = did_you_mean(field, candidates.iter().copied()) {
                d.message = format!("unknown key `{field}`; did you mean `{s}`?");
            } else {
                d.message = format!("unknown key `{field}`");
            }
            d = d.hint(format!("the keys allowed here are: {expected}"));
        }
        d
    }
}

/// Reads serde's "unknown field `x`, expected one of a, b" message.
fn unknown_field(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest
        .strip_prefix(", expected one of ")
        .or_else(|| rest.strip_prefix(", expected "))
        .unwrap_or("")
        .trim_matches('`');
    Some((field, expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        label: Option<String>,
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let src = "title: a\nlabl: b\n";
        let d = from_str::<Sample>(src)
            .unwrap_err()
            .into_diagnostic(src, 0, "x.yaml");
        let text = d.to_string();
        assert!(
            text.starts_with("error: unknown key `labl`; did you mean `label`?"),
            "{text}"
        );
        assert!(text.contains("x.yaml:2:1"), "{text}");
        assert!(text.contains("^^^^\n"), "{text}");
    }
}
