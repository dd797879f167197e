//! `brief.pdf`: the funder brief, laid out by typst (used as a library) from a template an
//! evaluator can restyle (templates/brief.typ, or `report.brief_template` in the config). The
//! report model goes in as JSON and the charts as SVG, so the charts stay vectors; fonts are the
//! bundled DejaVu Sans, and no date is written unless the config sets one.

use std::path::Path;

use typst::diag::SourceDiagnostic;
use typst::foundations::{Bytes, Dict, IntoValue};
use typst::syntax::{DiagSpanKind, Source};
use typst_as_lib::conversions::IntoSource;
use typst_as_lib::{TypstAsLibError, TypstEngine};
use typst_layout::PagedDocument;

use super::ChartSvgs;
use crate::error::{Error, Location, Result};
use crate::report::Report;

/// The bundled brief template, and the file it is compiled in from (named in its errors).
pub(crate) const TEMPLATE: &str = include_str!("../../templates/brief.typ");
pub(crate) const TEMPLATE_FILE: &str = "templates/brief.typ";

pub fn brief_pdf(report: &Report, charts: &ChartSvgs, template: Option<&Path>) -> Result<Vec<u8>> {
    let (source, file) = match template {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?,
            path,
        ),
        None => (TEMPLATE.to_string(), Path::new(TEMPLATE_FILE)),
    };
    let json = serde_json::to_vec(report).map_err(|e| Error::internal("render", e))?;
    let laid_out = brief_from(json, charts, source, file);
    match template {
        Some(_) => laid_out,
        None => laid_out.map_err(super::templates::bundled_failed),
    }
}

/// The brief laid out by typst from a template text, the report model as JSON and the charts;
/// a failure names the template's `file` and line.
pub(crate) fn brief_from(model: Vec<u8>, charts: &ChartSvgs, source: String, file: &Path) -> Result<Vec<u8>> {
    let mut inputs = Dict::new();
    inputs.insert("report".into(), Bytes::new(model).into_value());
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
    let failed = |what: String| {
        Error::definition(
            Location::file(file),
            format!("the brief template cannot be laid out: {what}"),
            "Fix the template (see templates/brief.typ for the inputs it receives).",
        )
    };
    let document: PagedDocument = engine
        .compile_with_input(inputs)
        .output
        .map_err(|e| failed(describe(&e, &main)))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| failed(describe_all(&e, &main)))
}

/// A typst failure as an evaluator can act on it: `line L, column C: message (hint: ...)` for
/// each error in the template, instead of typst's debug representation.
fn describe(error: &TypstAsLibError, main: &Source) -> String {
    match error {
        TypstAsLibError::TypstSource(diagnostics) => describe_all(diagnostics, main),
        _ => error.to_string(),
    }
}

/// Typst's diagnostics as `line L, column C: message (hint: ...)`, the first three errors.
fn describe_all(diagnostics: &[SourceDiagnostic], main: &Source) -> String {
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
        return "typst reported no error it could place".into();
    }
    described.join("; ")
}
