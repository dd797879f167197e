//! `brief.pdf`: the funder brief, laid out by typst (used as a library) from a template an
//! evaluator can restyle (templates/brief.typ, or `report.brief_template` in the config). The
//! report model goes in as JSON and the charts as SVG, so the charts stay vectors; fonts are the
//! bundled DejaVu Sans, and no date is written unless the config sets one.

use std::path::Path;

use typst::foundations::{Bytes, Dict, IntoValue};
use typst_as_lib::TypstEngine;
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
    let engine = TypstEngine::builder()
        .main_file(("brief.typ", source))
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
        .map_err(|e| failed(e.to_string()))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| failed(format!("{e:?}")))
}
