//! Replays every input the fuzz targets (fuzz/, see src/fuzzing.rs) once crashed or hung on,
//! kept in tests/fixtures/fuzz/<target>/, plus a few hand-made hostile inputs of each kind.

use std::path::Path;

/// Runs every kept input of `target` (none yet for a target whose fuzzing found nothing) and
/// returns how many there were.
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

#[test]
fn template_inputs_that_once_failed_render_or_fail_naming_the_template_line() {
    replay("templates", backbone::fuzzing::templates);
    let html = include_bytes!("../../templates/report.html.j2");
    let md = include_bytes!("../../templates/report.md.j2");
    for (selector, template) in [(0u8, &html[..]), (1, &md[..])] {
        // The real templates, and each cut short and broken.
        backbone::fuzzing::templates(&[&[selector][..], template].concat());
        backbone::fuzzing::templates(&[&[selector][..], &template[..template.len() / 2]].concat());
        backbone::fuzzing::templates(&[selector, b'{', b'%', b' ', b'f', b'o', b'r']);
        backbone::fuzzing::templates(&[&[selector][..], b"{{ r.title | nofilter }}"].concat());
    }
    for hostile in [
        &b"<script>alert(1)</script>\0| a | b |\n\0=HYPERLINK(\"x\")\0&amp;\0*_`#![x](y)\\"[..],
        b"",
        b"\0\0\0",
        "\u{1}\u{2}<\u{1}".as_bytes(),
    ] {
        backbone::fuzzing::templates(&[&[2][..], hostile].concat());
        backbone::fuzzing::templates(&[&[3][..], hostile].concat());
    }
}

#[test]
fn brief_inputs_that_once_failed_lay_out_or_fail_naming_the_template_line() {
    // The out-of-memory input the brief fuzzer found (see README, fuzzing).
    assert!(
        replay("brief", backbone::fuzzing::brief) >= 1,
        "the kept brief input is gone"
    );
    let brief = include_bytes!("../../templates/brief.typ");
    backbone::fuzzing::brief(&[&[0][..], brief].concat());
    backbone::fuzzing::brief(&[&[0][..], &brief[..brief.len() / 2]].concat());
    backbone::fuzzing::brief(b"\x01#set page(\0]\0\"\0*\0$x$\0<label>\0@ref\0// comment\0\\");
}
