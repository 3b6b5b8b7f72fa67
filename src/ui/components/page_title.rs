use leptos::prelude::*;
use leptos::text_prop::TextProp;
use leptos_meta::{ServerMetaContext, Title};

/// The document's title, taken as plain text whatever it holds. Use it instead of
/// `leptos_meta::Title`.
///
/// leptos_meta 0.8 writes the server-rendered `<title>` into the head as it is, unescaped, so a
/// title holding `</title>` would end the element and the rest would be live markup. On the
/// server render (the only time leptos_meta has a `ServerMetaContext`) the text is escaped here.
/// In the browser `Title` sets `document.title`, which takes plain text, so it gets the text
/// unchanged, and the tab shows `<` rather than `&lt;`.
#[component]
pub fn PageTitle(#[prop(into)] text: TextProp) -> impl IntoView {
    let text = if use_context::<ServerMetaContext>().is_some() {
        TextProp::from(move || escape_title(&text.get()))
    } else {
        text
    };
    view! { <Title text /> }
}

/// `text` escaped for the content of a `<title>` element: `&`, `<` and `>` as entities, which
/// the browser decodes back to the same text.
pub fn escape_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_title;

    #[test]
    fn title_text_cannot_end_the_element() {
        assert_eq!(escape_title("techblog.com #47"), "techblog.com #47");
        assert_eq!(
            escape_title("o.example</title><b>x</b><title> #1"),
            "o.example&lt;/title&gt;&lt;b&gt;x&lt;/b&gt;&lt;title&gt; #1"
        );
        assert_eq!(escape_title("Tom & Jerry &amp;"), "Tom &amp; Jerry &amp;amp;");
        assert!(!escape_title("</TITLE ><script>").contains('<'));
    }
}
