//! Ids an author writes in raw HTML (`<a id>`, `<span id>`, `<dt id>`, `<a name>`): link targets
//! as real as heading ids, as mdBook books rely on.

/// Every `id="..."` and `name="..."` attribute value in `html`, in order.
pub fn html_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let bytes = html.as_bytes();
    let mut in_tag = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'i' | b'n' if in_tag && i > 0 && bytes[i - 1].is_ascii_whitespace() => {
                let rest = &html[i..];
                let after = rest
                    .strip_prefix("id")
                    .or_else(|| rest.strip_prefix("name"))
                    .map(str::trim_start)
                    .and_then(|r| r.strip_prefix('='))
                    .map(str::trim_start);
                if let Some(value) = after.and_then(quoted) {
                    ids.push(unescape(value));
                }
            }
            _ => {}
        }
        i += 1;
    }
    ids
}

fn quoted(text: &str) -> Option<&str> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &text[1..];
    rest.find(quote).map(|end| &rest[..end])
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_and_names_from_any_element() {
        let html = "<p>x id=\"not\"</p><a id=\"one\"></a><span class=\"x\" id='two'>t</span>\n<dt\nid=\"a&amp;b\">d</dt><a name=\"old\">";
        assert_eq!(super::html_ids(html), ["one", "two", "a&b", "old"]);
    }
}
