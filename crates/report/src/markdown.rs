//! Markdown into the small block model both renderers draw: headings, paragraphs and lists of
//! spans with emphasis and strong. Anything else (links, code, raw HTML) stays its literal text, so
//! markup in the inspectors' text renders inert.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub strong: bool,
    pub emphasis: bool,
}

/// A block of narrative, as both renderers draw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    Heading {
        level: u8,
        spans: Vec<Span>,
    },
    Paragraph {
        spans: Vec<Span>,
    },
    List {
        ordered: bool,
        items: Vec<Vec<Span>>,
    },
}

/// A block's spans, in order (a list's items one after the other).
pub fn block_spans(block: Block) -> Vec<Span> {
    match block {
        Block::Heading { spans, .. } | Block::Paragraph { spans } => spans,
        Block::List { items, .. } => items.into_iter().flatten().collect(),
    }
}

/// Markdown → blocks. Headings, paragraphs and lists (nested lists are flattened into their
/// parent); emphasis and strong; everything else (links, code, raw HTML) as its literal text.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let (mut strong, mut emphasis) = (0u32, 0u32);
    // The list being built, and how deeply lists are nested.
    let mut list: Option<(bool, Vec<Vec<Span>>)> = None;
    let mut depth = 0u32;
    let mut heading: Option<u8> = None;
    let flush_item = |list: &mut Option<(bool, Vec<Vec<Span>>)>, spans: &mut Vec<Span>| {
        if let Some((_, items)) = list.as_mut()
            && !spans.is_empty()
        {
            items.push(std::mem::take(spans));
        }
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some(level as u8),
            Event::End(TagEnd::Heading(_)) => out.push(Block::Heading {
                level: heading.take().unwrap_or(2),
                spans: std::mem::take(&mut spans),
            }),
            Event::Start(Tag::List(first)) => {
                flush_item(&mut list, &mut spans);
                depth += 1;
                if list.is_none() {
                    list = Some((first.is_some(), Vec::new()));
                }
            }
            Event::End(TagEnd::List(_)) => {
                flush_item(&mut list, &mut spans);
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some((ordered, items)) = list.take()
                {
                    out.push(Block::List { ordered, items });
                }
            }
            Event::End(TagEnd::Item) => flush_item(&mut list, &mut spans),
            Event::Start(Tag::Paragraph) if list.is_some() && !spans.is_empty() => {
                push_text(&mut spans, " ", strong > 0, emphasis > 0);
            }
            Event::End(TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::BlockQuote(_))
                if list.is_none() && !spans.is_empty() =>
            {
                out.push(Block::Paragraph {
                    spans: std::mem::take(&mut spans),
                });
            }
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Start(Tag::Emphasis) => emphasis += 1,
            Event::End(TagEnd::Emphasis) => emphasis = emphasis.saturating_sub(1),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                push_text(&mut spans, &t, strong > 0, emphasis > 0)
            }
            Event::SoftBreak | Event::HardBreak => {
                push_text(&mut spans, " ", strong > 0, emphasis > 0)
            }
            _ => {}
        }
    }
    if !spans.is_empty() {
        out.push(Block::Paragraph { spans });
    }
    out
}

/// Appends text, merging it into the last span when the emphasis is the same.
fn push_text(spans: &mut Vec<Span>, text: &str, strong: bool, emphasis: bool) {
    match spans.last_mut() {
        Some(last) if last.strong == strong && last.emphasis == emphasis => {
            last.text.push_str(text)
        }
        _ => spans.push(Span {
            text: text.to_string(),
            strong,
            emphasis,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str) -> Span {
        Span {
            text: text.into(),
            strong: false,
            emphasis: false,
        }
    }

    #[test]
    fn raw_html_stays_text() {
        let b = blocks("Hi <script>alert(1)</script> there\n");
        assert_eq!(
            b,
            vec![Block::Paragraph {
                spans: vec![span("Hi <script>alert(1)</script> there")]
            }]
        );
        let b = blocks("<div onclick=\"x()\">block</div>\n");
        let Block::Paragraph { spans } = &b[0] else {
            panic!("{b:?}")
        };
        assert!(spans[0].text.contains("<div onclick"));
    }

    #[test]
    fn headings_lists_and_emphasis() {
        let b = blocks("## Strengths\n\n- one **two**\n- three\n  - nested\n\n1. first\n");
        assert_eq!(b.len(), 3, "{b:?}");
        assert!(matches!(&b[0], Block::Heading { level: 2, .. }));
        let Block::List { ordered, items } = &b[1] else {
            panic!("{b:?}")
        };
        assert!(!ordered);
        assert_eq!(items.len(), 3, "nested items are flattened: {items:?}");
        assert!(items[0][1].strong && items[0][1].text == "two");
        assert!(matches!(&b[2], Block::List { ordered: true, .. }));
    }
}
