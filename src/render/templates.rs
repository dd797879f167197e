//! `report.html` and `report.md`, both filled from the report model by minijinja templates
//! (templates/report.html.j2, templates/report.md.j2) that a non-programmer can edit. Every
//! value a template prints is escaped for its format: HTML entities in the page, Markdown
//! syntax (and line breaks) in the Markdown. Chart SVG is the one value marked safe.

use std::collections::BTreeMap;

use minijinja::value::Value;
use minijinja::{context, AutoEscape, Environment, Error as TemplateError, ErrorKind, Output, State};

use super::ChartSvgs;
use crate::error::{Error, Result};
use crate::report::Report;

const HTML: &str = include_str!("../../templates/report.html.j2");
const MARKDOWN: &str = include_str!("../../templates/report.md.j2");
const MARKDOWN_ESCAPE: &str = "markdown";

/// Escapes Markdown syntax and folds line breaks, so input text renders as text and cannot
/// break a table.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".md") {
            AutoEscape::Custom(MARKDOWN_ESCAPE.into())
        } else if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(format_value);
    // The built-in join marks its result safe under a custom escape; this one leaves the
    // escaping of the joined text to the formatter, like any other value.
    env.add_filter(
        "join",
        |values: Vec<Value>, separator: Option<String>| -> String {
            let texts: Vec<String> = values.iter().map(Value::to_string).collect();
            texts.join(separator.as_deref().unwrap_or(""))
        },
    );
    env
}

fn format_value(
    out: &mut Output,
    state: &mut State,
    value: &Value,
) -> std::result::Result<(), TemplateError> {
    let markdown = matches!(state.auto_escape(), AutoEscape::Custom(name) if name == MARKDOWN_ESCAPE);
    if markdown && !value.is_safe() && !value.is_undefined() && !value.is_none() {
        let text = escape_markdown(&value.to_string());
        return out
            .write_str(&text)
            .map_err(|e| TemplateError::new(ErrorKind::WriteFailure, e.to_string()));
    }
    minijinja::escape_formatter(out, state, value)
}

fn render(name: &str, source: &'static str, ctx: Value) -> Result<String> {
    let mut env = environment();
    env.add_template(name, source)
        .map_err(|e| Error::internal("render", format!("{name} template: {e}")))?;
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| Error::internal("render", format!("{name} template: {e}")))
}

pub fn report_html(report: &Report, charts: &ChartSvgs) -> Result<String> {
    // Chart SVG comes from plotters, which escapes the text it draws: safe to inline.
    let charts: BTreeMap<&str, Value> = charts
        .iter()
        .map(|(name, svg)| (name.as_str(), Value::from_safe_string(svg.clone())))
        .collect();
    render(
        "report.html",
        HTML,
        context! { r => minijinja::value::Serde(report), charts => charts },
    )
}

pub fn report_md(report: &Report) -> Result<String> {
    render(
        "report.md",
        MARKDOWN,
        context! { r => minijinja::value::Serde(report) },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_values_are_escaped_and_safe_ones_are_not() {
        let env = environment();
        let text = env
            .render_named_str(
                "t.md",
                "| {{ a }} | {{ b | safe }} |",
                context! { a => "=HYPERLINK(\"x\")|<img src=x>\n*", b => "**bold**" },
            )
            .unwrap();
        assert_eq!(text, "| =HYPERLINK(\"x\")\\|\\<img src=x\\> \\* | **bold** |");
        let html = env
            .render_named_str("t.html", "{{ a }}", context! { a => "<b>" })
            .unwrap();
        assert_eq!(html, "&lt;b&gt;");
        let joined = env
            .render_named_str(
                "t.md",
                "{{ a | join(\", \") }}",
                context! { a => vec!["<x>", "|"] },
            )
            .unwrap();
        assert_eq!(joined, "\\<x\\>, \\|");
    }
}
