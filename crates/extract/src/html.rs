//! An HTML report as text lines: parsed as browsers parse it (html5ever, through scraper), scripts,
//! styles and the head dropped, each block element (paragraph, heading, list item, table row,
//! section) on lines of its own, table cells separated by tabs, runs of white space inside text
//! collapsed, so that the text readers see what a reader of the web page sees.

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Elements that start and end a line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
];

/// Elements whose content is not part of the page's text.
const SKIPPED: &[&str] = &["head", "script", "style", "noscript", "template", "svg"];

/// How deeply elements may nest. A report nests a few dozen deep; the HTML parser's work grows
/// with the square of the depth, so a deeper document is refused before it is parsed.
pub const MAX_DEPTH: usize = 1_000;

/// The text of `html`, line by line; a document nested deeper than [`MAX_DEPTH`] is refused.
pub fn to_text(html: &str) -> Result<String, String> {
    if let Some(depth) = too_deep(html) {
        return Err(format!(
            "the HTML nests elements more than {MAX_DEPTH} deep (at least {depth}); a report does not"
        ));
    }
    let document = Html::parse_document(html);
    let mut out = String::new();
    // Iteratively (open and close edges), so that no depth reaches the call stack.
    let mut skipping: Option<NodeId> = None;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => push_text(&mut out, text),
                    Node::Element(element) => {
                        let name = element.name();
                        if SKIPPED.contains(&name) {
                            skipping = Some(node.id());
                        } else if name == "br" || BLOCKS.contains(&name) {
                            out.push('\n');
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                    continue;
                }
                if skipping.is_some() {
                    continue;
                }
                if let Node::Element(element) = node.value() {
                    let name = element.name();
                    if BLOCKS.contains(&name) {
                        out.push('\n');
                    } else if matches!(name, "td" | "th") {
                        out.push('\t');
                    }
                }
            }
        }
    }
    Ok(out.lines().map(str::trim).collect::<Vec<_>>().join("\n"))
}

/// A rough nesting depth from the tags alone (opening tags in, closing tags out), where it
/// passes [`MAX_DEPTH`].
fn too_deep(html: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'<' {
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(depth);
                }
            }
            _ => {}
        }
    }
    None
}

/// Text inside the page: runs of white space one space, as a browser shows them.
fn push_text(out: &mut String, text: &str) {
    let mut last_space = out.ends_with([' ', '\n', '\t']);
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_cells_tabs() {
        let text = to_text(
            "<html><head><title>x</title><style>p{}</style></head><body><h2>R 2.1. Public protection</h2>\
             <p>Some   text\n here.</p><table><tr><th>Key question</th><th>Percentage 'Yes'</th></tr>\
             <tr><td>Does it?</td><td>27%</td></tr></table><script>var a;</script></body></html>",
        )
        .expect("a page");
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                "R 2.1. Public protection",
                "Some text here.",
                "Key question\tPercentage 'Yes'",
                "Does it?\t27%"
            ]
        );
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("{}x", "<div>".repeat(MAX_DEPTH + 1));
        assert!(
            to_text(&deep)
                .expect_err("refused")
                .contains("more than 1000 deep")
        );
        let many = "<p>x</p>".repeat(50_000);
        assert!(
            to_text(&many).is_ok(),
            "many elements side by side are fine"
        );
    }
}
