//! Every integration test in one binary: one link of the dependency tree instead of twenty,
//! and one process whose threads share the sample runs that several files only read.

mod any_framework;
mod charts;
mod cli;
mod comments;
mod common;
mod compare;
mod definitions;
mod drivers;
mod escaping;
mod findings;
mod frameworks;
mod fuzz_regressions;
mod group_changes;
mod hostile;
mod leadership;
mod matching;
mod oracle;
mod overlaps;
mod pdf_layout;
mod platforms;
mod properties;
mod reports;
mod scoring;
mod spss;
mod starter;
mod statements;
mod stats;
mod tables;
mod templates_doc;
mod weights;
mod xlsx;
