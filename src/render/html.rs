//! `report.html`: the full report as one self-contained page (inline SVG charts and CSS, no
//! network), filled from the [`View`] through a minijinja template that escapes all text.

use minijinja::{context, Environment, Value};

use super::view::View;
use super::ChartSvgs;
use crate::error::{Error, Result};

const TEMPLATE: &str = include_str!("../../templates/report.html.j2");

pub fn report_html(view: &View, charts: &ChartSvgs) -> Result<String> {
    let mut env = Environment::new();
    // The ".html" name turns on HTML auto-escaping for every value the template prints.
    env.add_template("report.html", TEMPLATE)
        .map_err(|e| Error::internal("render", format!("report template: {e}")))?;
    // Chart SVG comes from plotters, which escapes the text it draws: safe to inline.
    let charts: std::collections::BTreeMap<&str, Value> = charts
        .iter()
        .map(|(name, svg)| (name.as_str(), Value::from_safe_string(svg.clone())))
        .collect();
    env.get_template("report.html")
        .and_then(|t| t.render(context! { v => minijinja::value::Serde(view), charts => charts }))
        .map_err(|e| Error::internal("render", format!("report template: {e}")))
}
