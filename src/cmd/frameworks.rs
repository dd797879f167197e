//! `backbone frameworks`: the bundled frameworks listed with their counts, or one (bundled, or
//! a user's own file) printed as a tree.

use std::path::Path;

/// Lists the bundled frameworks, or prints the one `show` names (an id or a file's path).
pub fn frameworks(show: Option<&str>) -> backbone::Result<()> {
    let all = backbone::catalogue::bundled()?;
    match show {
        None => say!("{}", backbone::catalogue::listing(&all).trim_end()),
        Some(path) if Path::new(path).is_file() => {
            let framework = backbone::catalogue::from_path(Path::new(path))?;
            say!("{}", backbone::catalogue::framework_tree(&framework).trim_end())
        }
        Some(id) => say!("{}", backbone::catalogue::tree(&all, id)?.trim_end()),
    }
    Ok(())
}
