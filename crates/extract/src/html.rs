//! An HTML report as text lines: parsed as browsers parse it (html5ever, through scraper), scripts,
//! styles and the head dropped, each block element (paragraph, heading, list item, table row,
//! section) on lines of its own, table cells separated by tabs, runs of white space inside text
//! collapsed, so that the text readers see what a reader of the web page sees.

use ego_tree::NodeRef;
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

/// The text of `html`, line by line.
pub fn to_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut out = String::new();
    walk(document.tree.root(), &mut out);
    out.lines().map(str::trim).collect::<Vec<_>>().join("\n")
}

fn walk(node: NodeRef<'_, Node>, out: &mut String) {
    match node.value() {
        Node::Text(text) => {
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
        Node::Element(element) => {
            let name = element.name();
            if SKIPPED.contains(&name) {
                return;
            }
            if name == "br" {
                out.push('\n');
                return;
            }
            let block = BLOCKS.contains(&name);
            if block {
                out.push('\n');
            }
            for child in node.children() {
                walk(child, out);
            }
            if block {
                out.push('\n');
            } else if matches!(name, "td" | "th") {
                out.push('\t');
            }
        }
        _ => {
            for child in node.children() {
                walk(child, out);
            }
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
        );
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
}
