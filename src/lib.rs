//! backbone: turns partner-survey exports into a scored, charted account of how well a
//! collective-impact backbone organization does its job.
//!
//! The library is a one-way pipeline, one module per stage:
//! [`ingest`] (export file -> text table) -> [`map`] (columns -> items, answers -> codes) ->
//! [`score`] (per wave, per item and framework node) -> [`compare`] (between waves) ->
//! [`render`] (CSV, Markdown, charts). Frameworks and instruments are data files read by
//! [`framework`] and [`instrument`]; a run is described by a [`config`].

pub mod catalogue;
pub mod comments;
pub mod compare;
pub mod config;
#[cfg(test)]
mod documented;
pub mod drivers;
pub mod error;
pub mod framework;
#[doc(hidden)]
pub mod fuzzing;
pub mod ingest;
pub mod instrument;
pub mod map;
pub mod messages;
pub mod normalize;
pub mod output;
mod parallel;
pub mod pipeline;
pub mod privacy;
pub mod reliability;
pub mod render;
pub mod report;
pub mod rules;
mod schema;
pub mod score;
pub mod starter;
pub mod stats;
pub mod weights;

pub use error::{Error, Result};
