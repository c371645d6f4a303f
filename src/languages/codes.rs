//! Language codes as book.toml writes them: BCP 47 tags with an ISO 639-1 language
//! (`en`, `zh-CN`, `pt-BR`, `zh-Hant`, `es-419`).

/// Every ISO 639-1 code: a tag's first subtag must be one of these.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch \
co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi \
ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky \
la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om \
or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te \
tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Names people write instead of a code, for the hint.
const NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("chinese", "zh-CN"),
    ("mandarin", "zh-CN"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("french", "fr"),
    ("german", "de"),
    ("spanish", "es"),
    ("portuguese", "pt"),
    ("russian", "ru"),
    ("italian", "it"),
    ("arabic", "ar"),
    ("vietnamese", "vi"),
    ("cn", "zh-CN"),
    ("jp", "ja"),
    ("kr", "ko"),
];

/// Whether `code` is a language tag guidebook can use: a known ISO 639-1 language, then any of
/// a script (`Hant`), a region (`CN`, `419`) and variants (`1996`, `pinyin`).
pub fn is_known(code: &str) -> bool {
    let mut parts = code.split('-');
    let Some(language) = parts.next() else {
        return false;
    };
    if !ISO_639_1.split(' ').any(|c| c == language) {
        return false;
    }
    parts.all(|part| {
        let alnum = part.chars().all(|c| c.is_ascii_alphanumeric());
        let region = (part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
            || (part.len() == 3 && part.chars().all(|c| c.is_ascii_digit()));
        let script = part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic());
        let variant = (5..=8).contains(&part.len())
            || (part.len() == 4 && part.starts_with(|c: char| c.is_ascii_digit()));
        alnum && (region || script || variant)
    })
}

/// The code a mistaken one probably meant: from a language's name, a different case or `_`
/// for `-`, or the closest ISO 639-1 code.
pub fn suggestion(code: &str) -> Option<String> {
    let lower = code.to_ascii_lowercase();
    if let Some((_, known)) = NAMES.iter().find(|(name, _)| *name == lower) {
        return Some(known.to_string());
    }
    let normalised = normalise_case(&code.replace('_', "-"));
    if normalised != code && is_known(&normalised) {
        return Some(normalised);
    }
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    crate::error::did_you_mean(primary, ISO_639_1.split(' ')).map(str::to_string)
}

/// `ZH-cn` → `zh-CN`, `zh-hant` → `zh-Hant`: the case BCP 47 recommends.
fn normalise_case(code: &str) -> String {
    code.split('-')
        .enumerate()
        .map(|(i, part)| match (i, part.len()) {
            (0, _) => part.to_ascii_lowercase(),
            (_, 2) => part.to_ascii_uppercase(),
            (_, 4) => {
                let lower = part.to_ascii_lowercase();
                lower[..1].to_ascii_uppercase() + &lower[1..]
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_with_scripts_and_regions_are_known() {
        for code in ["en", "zh-CN", "zh-Hant", "pt-BR", "es-419", "de-CH-1996"] {
            assert!(is_known(code), "{code}");
        }
        for code in ["english", "EN", "zh_CN", "xx", "en-", "en-C", ""] {
            assert!(!is_known(code), "{code}");
        }
    }

    #[test]
    fn mistakes_get_the_code_they_meant() {
        assert_eq!(suggestion("english").as_deref(), Some("en"));
        assert_eq!(suggestion("zh_cn").as_deref(), Some("zh-CN"));
        assert_eq!(suggestion("EN").as_deref(), Some("en"));
        assert_eq!(suggestion("enn").as_deref(), Some("en"));
    }
}
