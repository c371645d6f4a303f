//! Ids an author writes in raw HTML (`<a id>`, `<span id>`, `<dt id>`, `<a name>`): link targets
//! as real as heading ids, as mdBook books rely on.

/// Every `id="..."` and `name="..."` attribute value in `html`, in order. Found from each `=`
/// (a few in a page of text, where a scan of every byte would be most of the work).
pub fn html_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut from = 0;
    while let Some(found) = html[from..].find('=') {
        let eq = from + found;
        from = eq + 1;
        let before = html[..eq].trim_end();
        let Some(name_start) = ["id", "name"]
            .iter()
            .find_map(|name| before.strip_suffix(name).map(str::len))
        else {
            continue;
        };
        let after_space = html.as_bytes()[..name_start]
            .last()
            .is_some_and(u8::is_ascii_whitespace);
        if !after_space || !in_tag(&html[..name_start]) {
            continue;
        }
        if let Some(value) = quoted(html[eq + 1..].trim_start()) {
            ids.push(unescape(value));
        }
    }
    ids
}

/// Whether the text after `before` is inside a tag: its last `<` comes after its last `>`.
fn in_tag(before: &str) -> bool {
    before
        .rfind(['<', '>'])
        .is_some_and(|i| before.as_bytes()[i] == b'<')
}

fn quoted(text: &str) -> Option<&str> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &text[1..];
    rest.find(quote).map(|end| &rest[..end])
}

fn unescape(value: &str) -> String {
    // Most ids have no entity: copied as they are, without five searches for one.
    if !value.contains('&') {
        return value.to_string();
    }
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

    #[test]
    fn spaced_attributes_count_and_lookalikes_do_not() {
        let html =
            "<a id = \"spaced\" data-id=\"no\" valid=\"no\">a = b, id=\"text\"</a><b\tname='tab'>";
        assert_eq!(super::html_ids(html), ["spaced", "tab"]);
    }
}
