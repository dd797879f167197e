//! `report.html` and `report.md`, both filled from the report model by minijinja templates
//! (templates/report.html.j2, templates/report.md.j2) that a non-programmer can edit. Every
//! value a template prints is escaped for its format: HTML entities in the page, Markdown
//! syntax (and line breaks) in the Markdown. Chart SVG is the one value marked safe. A template
//! that cannot be rendered is reported with its file and line.

use std::collections::BTreeMap;

use minijinja::value::Value;
use minijinja::{context, AutoEscape, Environment, Error as TemplateError, ErrorKind, Output, State};
use serde::Serialize;

use super::ChartSvgs;
use crate::error::{Error, Location, Result};
use crate::report::Report;

/// A template: the name that picks its escaping (`.html`, `.md`), the file it is compiled in
/// from (named in errors) and its text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Template {
    name: &'static str,
    pub file: &'static str,
    pub source: &'static str,
}

pub(crate) const HTML: Template = Template {
    name: "report.html",
    file: "templates/report.html.j2",
    source: include_str!("../../templates/report.html.j2"),
};
pub(crate) const MARKDOWN: Template = Template {
    name: "report.md",
    file: "templates/report.md.j2",
    source: include_str!("../../templates/report.md.j2"),
};
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

fn environment<'s>() -> Environment<'s> {
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

/// Renders `source` as the template `template` (whose name picks the escaping); a failure
/// names the template's file and line.
fn render(template: Template, source: &str, ctx: Value) -> Result<String> {
    let mut env = environment();
    env.add_template(template.name, source)
        .and_then(|()| env.get_template(template.name)?.render(ctx))
        .map_err(|e| failed(template, &e))
}

/// A template error as the person editing the template can act on it: the file, the line and
/// what minijinja says is wrong there.
fn failed(template: Template, e: &TemplateError) -> Error {
    let at = e.line().map_or_else(
        || "somewhere in the template".to_string(),
        |l| format!("line {l}"),
    );
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    Error::definition(
        Location::file(template.file),
        format!("the template cannot be rendered: {at}: {}{detail}", e.kind()),
        "Fix the template there (templates/README.md lists every field it can print).",
    )
}

pub fn report_html(report: &Report, charts: &ChartSvgs) -> Result<String> {
    html_from(HTML.source, report, charts).map_err(bundled_failed)
}

/// A bundled template that fails is a bug of the tool, not the user's file to fix: reported
/// as internal (exit 4, "please report it") with the template's file and line.
pub(crate) fn bundled_failed(e: Error) -> Error {
    match e {
        Error::Definition { at, what, .. } => Error::internal("render", format!("{at}: {what}")),
        other => other,
    }
}

/// report.html from a template text (the bundled one, or an edited one when fuzzed) and any
/// serialisable model.
pub(crate) fn html_from(source: &str, model: &impl Serialize, charts: &ChartSvgs) -> Result<String> {
    // Chart SVG comes from plotters, which escapes the text it draws: safe to inline.
    let charts: BTreeMap<&str, Value> = charts
        .iter()
        .map(|(name, svg)| (name.as_str(), Value::from_safe_string(svg.clone())))
        .collect();
    render(
        HTML,
        source,
        context! { r => minijinja::value::Serde(model), charts => charts },
    )
}

pub fn report_md(report: &Report) -> Result<String> {
    md_from(MARKDOWN.source, report).map_err(bundled_failed)
}

/// report.md from a template text and any serialisable model (see [`html_from`]).
pub(crate) fn md_from(source: &str, model: &impl Serialize) -> Result<String> {
    render(MARKDOWN, source, context! { r => minijinja::value::Serde(model) })
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
