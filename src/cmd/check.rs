//! `backbone check`: everything a run reads, checked without writing a report, every wave's
//! problem said rather than only the first.

use std::path::Path;

use backbone::config::Config;

use super::console::print_accounts;

/// Checks the config at `path`: prints the framework tree and every file's accounting.
pub fn check(path: &Path) -> backbone::Result<()> {
    let config = Config::load(path)?;
    let instrument = backbone::pipeline::instrument_of(&config)?;
    say!(
        "{}",
        backbone::catalogue::framework_tree(&instrument.framework).trim_end()
    );
    say!(
        "\n{}: {} items on {} scale(s), {} attribute(s); {} wave(s) in {}",
        instrument.described(),
        instrument.items.len(),
        instrument.scales.len(),
        instrument.attributes.len(),
        config.waves.len(),
        path.display()
    );
    let mut failed = 0;
    for wave in &config.waves {
        match backbone::pipeline::read_wave(&instrument, &config, wave) {
            Ok(parts) => {
                let accounts: Vec<_> = parts.into_iter().map(|p| p.account).collect();
                print_accounts(&accounts, Some(path));
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {}", e.naming_config(Some(path)));
            }
        }
    }
    if failed > 0 {
        return Err(backbone::Error::input(
            backbone::error::Location::file(path),
            format!(
                "{failed} of the {} wave(s) cannot be used (each is said above)",
                config.waves.len()
            ),
            "Fix each, then run `backbone check` again.",
        ));
    }
    say!(
        "everything checked can be used: `backbone run --config {}` writes the reports",
        path.display()
    );
    Ok(())
}
