//! `brief.pdf`: the funder brief, laid out by typst (used as a library) from a template an
//! evaluator can restyle (templates/brief.typ, or `report.brief_template` in the config). The
//! report model goes in as JSON and the charts as SVG, so the charts stay vectors; fonts are the
//! bundled DejaVu Sans, and no date is written unless the config sets one.

use std::path::Path;

use typst::foundations::{Bytes, Dict, IntoValue};
use typst::syntax::{DiagSpanKind, Source};
use typst_as_lib::conversions::IntoSource;
use typst_as_lib::{TypstAsLibError, TypstEngine};
use typst_layout::PagedDocument;

use super::ChartSvgs;
use crate::error::{Error, Location, Result};
use crate::report::Report;

const TEMPLATE: &str = include_str!("../../templates/brief.typ");

pub fn brief_pdf(report: &Report, charts: &ChartSvgs, template: Option<&Path>) -> Result<Vec<u8>> {
    let source = match template {
        Some(path) => std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?,
        None => TEMPLATE.to_string(),
    };
    let json = serde_json::to_vec(report).map_err(|e| Error::internal("render", e))?;
    let mut inputs = Dict::new();
    inputs.insert("report".into(), Bytes::new(json).into_value());
    for (name, svg) in charts {
        inputs.insert(
            name.as_str().into(),
            Bytes::new(svg.clone().into_bytes()).into_value(),
        );
    }
    let main = ("brief.typ", source).into_source();
    let engine = TypstEngine::builder()
        .main_file(main.clone())
        .fonts([dejavu::sans::regular(), dejavu::sans::bold()])
        .build();
    let failed = |what: String| match template {
        Some(path) => Error::definition(
            Location::file(path),
            format!("the brief template cannot be laid out: {what}"),
            "Fix the template (see templates/brief.typ for the inputs it receives).",
        ),
        None => Error::internal("render", format!("brief template: {what}")),
    };
    let document: PagedDocument = engine
        .compile_with_input(inputs)
        .output
        .map_err(|e| failed(describe(&e, &main)))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| failed(format!("{e:?}")))
}

/// A typst failure as an evaluator can act on it: `line L, column C: message (hint: ...)` for
/// each error in the template, instead of typst's debug representation.
fn describe(error: &TypstAsLibError, main: &Source) -> String {
    let TypstAsLibError::TypstSource(diagnostics) = error else {
        return error.to_string();
    };
    let place = |span: typst::syntax::DiagSpan| -> Option<String> {
        let range = match span.get() {
            DiagSpanKind::Number { id, num, sub_range } if id == main.id() => main.range(num, sub_range)?,
            DiagSpanKind::Range { id, range } if id == main.id() => range,
            _ => return None,
        };
        let (line, column) = main.lines().byte_to_line_column(range.start)?;
        Some(format!("line {}, column {}", line + 1, column + 1))
    };
    let described: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == typst::diag::Severity::Error)
        .take(3)
        .map(|d| {
            // An error inside a function call points at the call in the template when the
            // error itself is in a library.
            let at = place(d.span)
                .or_else(|| d.trace.iter().rev().find_map(|t| place(t.span.into())))
                .unwrap_or_else(|| "somewhere in the template".into());
            let hints: Vec<&str> = d.hints.iter().map(|h| h.v.as_str()).collect();
            if hints.is_empty() {
                format!("{at}: {}", d.message)
            } else {
                format!("{at}: {} (hint: {})", d.message, hints.join("; "))
            }
        })
        .collect();
    if described.is_empty() {
        return error.to_string();
    }
    described.join("; ")
}
