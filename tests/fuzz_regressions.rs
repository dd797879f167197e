//! Replays every input the fuzz targets (fuzz/, see src/fuzzing.rs) once crashed or hung on,
//! kept in tests/fixtures/fuzz/<target>/, plus a few hand-made hostile inputs of each kind.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut count = 0;
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            run(&std::fs::read(&path).unwrap());
            count += 1;
        }
    }
    count
}

#[test]
fn ingest_inputs_that_once_failed_are_read_or_refused_without_a_panic() {
    replay("ingest", backbone::fuzzing::ingest);
    for input in [
        &b"\x00"[..],
        b"\x00\"",
        b"\x00a,b\n\"",
        b"\x01,\n,\n",
        b"\x02\n\n\n",
        b"\x07respondent,item,value\n,,\n",
        b"\x00PK\x03\x04",
        b"\x00\xff\xfe\x00",
        b"\x00\xef\xbb\xbfa\n\x92",
    ] {
        backbone::fuzzing::ingest(input);
    }
}

#[test]
fn answer_inputs_that_once_failed_are_parsed_without_a_panic() {
    replay("answers", backbone::fuzzing::answers);
    backbone::fuzzing::answers("  Strongly agree \n5\n-1\n99999999999999999999\n\u{feff}Agree\n".as_bytes());
}

#[test]
fn definition_inputs_that_once_failed_are_refused_without_a_panic() {
    replay("definitions", backbone::fuzzing::definitions);
    backbone::fuzzing::definitions(b"initiative = 1\n\0[[items]]\nid = \"\"\n");
    backbone::fuzzing::definitions(b"[[columns]]\ncolumn = \"a\"\nitem = \"b\"\nignore = true\n");
}
