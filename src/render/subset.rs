//! A TrueType subset of DejaVu Sans holding only the glyphs a chart uses (and the glyphs those
//! are composed of), for embedding in the chart's SVG as an `@font-face`, so every viewer draws
//! the chart's text in the same font. Glyphs are renumbered; the subset keeps the outlines,
//! hinting programs, metrics, kerning pairs, the copyright and licence (the name table's
//! Windows records) and a cmap for the characters used. Layout tables (GPOS, GSUB) are left
//! out: kerning comes from the `kern` table.

use std::collections::{BTreeMap, BTreeSet};

use ttf_parser::{Face, GlyphId, Tag};

fn u16_at(data: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([data[at], data[at + 1]])
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}

fn set_u16(data: &mut [u8], at: usize, value: u16) {
    data[at..at + 2].copy_from_slice(&value.to_be_bytes());
}

fn push_u16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_be_bytes());
}

fn push_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_be_bytes());
}

/// The glyph outlines of the font, by glyph id.
struct Glyphs<'a> {
    glyf: &'a [u8],
    offsets: Vec<usize>,
}

impl<'a> Glyphs<'a> {
    fn new(face: &Face<'a>) -> Option<Glyphs<'a>> {
        let raw = face.raw_face();
        let glyf = raw.table(Tag::from_bytes(b"glyf"))?;
        let loca = raw.table(Tag::from_bytes(b"loca"))?;
        let long = u16_at(raw.table(Tag::from_bytes(b"head"))?, 50) == 1;
        let count = face.number_of_glyphs() as usize + 1;
        let offsets = (0..count)
            .map(|i| {
                if long {
                    u32_at(loca, 4 * i) as usize
                } else {
                    2 * u16_at(loca, 2 * i) as usize
                }
            })
            .collect();
        Some(Glyphs { glyf, offsets })
    }

    fn data(&self, glyph: u16) -> &'a [u8] {
        let g = glyph as usize;
        &self.glyf[self.offsets[g]..self.offsets[g + 1]]
    }

    /// The offsets of the component glyph ids of a composite glyph (none for a simple one).
    fn components(&self, glyph: u16) -> Vec<usize> {
        let data = self.data(glyph);
        let mut found = Vec::new();
        if data.len() < 10 || (u16_at(data, 0) as i16) >= 0 {
            return found;
        }
        let mut at = 10;
        loop {
            let flags = u16_at(data, at);
            found.push(at + 2);
            at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
            at += match flags {
                f if f & 0x0008 != 0 => 2,
                f if f & 0x0040 != 0 => 4,
                f if f & 0x0080 != 0 => 8,
                _ => 0,
            };
            if flags & 0x0020 == 0 {
                return found;
            }
        }
    }
}

/// The subset of `font` for the characters of `text` (TrueType bytes), or `None` when the
/// font cannot be read.
pub fn subset(font: &[u8], text: &str) -> Option<Vec<u8>> {
    let face = Face::parse(font, 0).ok()?;
    let glyphs = Glyphs::new(&face)?;
    let (order, by_char) = kept_glyphs(&face, &glyphs, text);
    let new_id: BTreeMap<u16, u16> = order.iter().enumerate().map(|(i, &g)| (g, i as u16)).collect();

    let mut glyf = Vec::new();
    let mut loca = Vec::new();
    let mut hmtx = Vec::new();
    for &g in &order {
        push_u32(&mut loca, glyf.len() as u32);
        let mut data = glyphs.data(g).to_vec();
        for at in glyphs.components(g) {
            let component = u16_at(&data, at);
            set_u16(&mut data, at, new_id[&component]);
        }
        glyf.extend_from_slice(&data);
        while glyf.len() % 4 != 0 {
            glyf.push(0);
        }
        push_u16(&mut hmtx, face.glyph_hor_advance(GlyphId(g)).unwrap_or(0));
        let bearing = face.glyph_hor_side_bearing(GlyphId(g)).unwrap_or(0);
        hmtx.extend_from_slice(&bearing.to_be_bytes());
    }
    push_u32(&mut loca, glyf.len() as u32);
    let count = order.len() as u16;

    let raw = face.raw_face();
    let table = |tag: &[u8; 4]| raw.table(Tag::from_bytes(tag)).map(<[u8]>::to_vec);
    let mut head = table(b"head")?;
    head[8..12].fill(0);
    set_u16(&mut head, 50, 1);
    let mut hhea = table(b"hhea")?;
    set_u16(&mut hhea, 34, count);
    let mut maxp = table(b"maxp")?;
    set_u16(&mut maxp, 4, count);
    let mut post = table(b"post")?.get(..32)?.to_vec();
    post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    let mapped: Vec<(char, u16)> = by_char.iter().map(|(&c, g)| (c, new_id[g])).collect();

    let mut tables: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"OS/2", table(b"OS/2")?),
        (b"cmap", cmap(&mapped)),
        (b"glyf", glyf),
        (b"head", head),
        (b"hhea", hhea),
        (b"hmtx", hmtx),
        (b"loca", loca),
        (b"maxp", maxp),
        (b"name", windows_names(&table(b"name")?)?),
        (b"post", post),
    ];
    for tag in [b"cvt ", b"fpgm", b"prep"] {
        if let Some(data) = table(tag) {
            tables.push((tag, data));
        }
    }
    if let Some(kern) = table(b"kern").and_then(|k| kern_subset(&k, &new_id)) {
        tables.push((b"kern", kern));
    }
    tables.sort_by_key(|t| *t.0);
    Some(assemble(tables))
}

/// The glyphs to keep, in their old order (.notdef, the text's characters' glyphs and the
/// components those are built of), and each character's old glyph.
fn kept_glyphs(face: &Face, glyphs: &Glyphs, text: &str) -> (Vec<u16>, BTreeMap<char, u16>) {
    let mut keep: BTreeSet<u16> = [0].into();
    let mut by_char: BTreeMap<char, u16> = BTreeMap::new();
    for c in text.chars().filter(|c| !c.is_control()) {
        if let Some(g) = face.glyph_index(c) {
            keep.insert(g.0);
            by_char.insert(c, g.0);
        }
    }
    let mut todo: Vec<u16> = keep.iter().copied().collect();
    while let Some(g) = todo.pop() {
        for at in glyphs.components(g) {
            let component = u16_at(glyphs.data(g), at);
            if keep.insert(component) {
                todo.push(component);
            }
        }
    }
    (keep.into_iter().collect(), by_char)
}

/// A format 4 cmap (Windows, Unicode BMP) mapping each character to its new glyph.
fn cmap(mapped: &[(char, u16)]) -> Vec<u8> {
    let mut segments: Vec<(u16, u16, u16)> = mapped
        .iter()
        .filter(|(c, _)| (*c as u32) < 0xFFFF)
        .map(|&(c, g)| (c as u16, c as u16, g.wrapping_sub(c as u16)))
        .collect();
    segments.push((0xFFFF, 0xFFFF, 1));
    let n = segments.len() as u16;
    let search = 2 * (1u16 << (15 - n.leading_zeros() as u16).min(15));
    let mut sub = Vec::new();
    push_u16(&mut sub, 4);
    push_u16(&mut sub, 16 + 8 * n);
    push_u16(&mut sub, 0);
    push_u16(&mut sub, 2 * n);
    push_u16(&mut sub, search);
    push_u16(&mut sub, (search / 2).trailing_zeros() as u16);
    push_u16(&mut sub, 2 * n - search);
    segments.iter().for_each(|s| push_u16(&mut sub, s.1));
    push_u16(&mut sub, 0);
    segments.iter().for_each(|s| push_u16(&mut sub, s.0));
    segments.iter().for_each(|s| push_u16(&mut sub, s.2));
    segments.iter().for_each(|_| push_u16(&mut sub, 0));
    let mut out = Vec::new();
    push_u16(&mut out, 0);
    push_u16(&mut out, 1);
    push_u16(&mut out, 3);
    push_u16(&mut out, 1);
    push_u32(&mut out, 12);
    out.extend(sub);
    out
}

/// The name table's Windows (platform 3) records only: the copyright, names and licence.
fn windows_names(name: &[u8]) -> Option<Vec<u8>> {
    let count = u16_at(name, 2) as usize;
    let strings = u16_at(name, 4) as usize;
    let mut records = Vec::new();
    let mut storage = Vec::new();
    for i in 0..count {
        let at = 6 + 12 * i;
        let record = name.get(at..at + 12)?;
        if u16_at(record, 0) != 3 {
            continue;
        }
        let (length, offset) = (u16_at(record, 8) as usize, u16_at(record, 10) as usize);
        let text = name.get(strings + offset..strings + offset + length)?;
        records.extend_from_slice(&record[..8]);
        push_u16(&mut records, length as u16);
        push_u16(&mut records, storage.len() as u16);
        storage.extend_from_slice(text);
    }
    let kept = (records.len() / 12) as u16;
    let mut out = Vec::new();
    push_u16(&mut out, 0);
    push_u16(&mut out, kept);
    push_u16(&mut out, 6 + 12 * kept);
    out.extend(records);
    out.extend(storage);
    Some(out)
}

/// The first format 0 subtable of a `kern` table, with only the pairs of kept glyphs.
fn kern_subset(kern: &[u8], new_id: &BTreeMap<u16, u16>) -> Option<Vec<u8>> {
    if u16_at(kern, 0) != 0 || u16_at(kern, 2) == 0 || u16_at(kern, 4 + 4) & 0xFF00 != 0 {
        return None;
    }
    let pairs = u16_at(kern, 4 + 6) as usize;
    let mut kept: Vec<(u16, u16, [u8; 2])> = Vec::new();
    for i in 0..pairs {
        let at = 4 + 14 + 6 * i;
        let (left, right) = (u16_at(kern, at), u16_at(kern, at + 2));
        if let (Some(&l), Some(&r)) = (new_id.get(&left), new_id.get(&right)) {
            kept.push((l, r, [kern[at + 4], kern[at + 5]]));
        }
    }
    kept.sort();
    let n = kept.len() as u16;
    let search = if n == 0 {
        0
    } else {
        6 * (1u16 << (15 - n.leading_zeros() as u16))
    };
    let mut out = Vec::new();
    push_u16(&mut out, 0);
    push_u16(&mut out, 1);
    push_u16(&mut out, 0);
    push_u16(&mut out, 14 + 6 * n);
    push_u16(&mut out, 0x0001);
    push_u16(&mut out, n);
    push_u16(&mut out, search);
    push_u16(
        &mut out,
        if search == 0 {
            0
        } else {
            (search / 6).trailing_zeros() as u16
        },
    );
    push_u16(&mut out, 6 * n - search);
    for (l, r, value) in kept {
        push_u16(&mut out, l);
        push_u16(&mut out, r);
        out.extend_from_slice(&value);
    }
    Some(out)
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// The font file: the table directory, then the tables, each 4-byte aligned; the head table's
/// checksum adjustment set last.
fn assemble(tables: Vec<(&[u8; 4], Vec<u8>)>) -> Vec<u8> {
    let n = tables.len() as u16;
    let power = 1u16 << (15 - n.leading_zeros() as u16);
    let mut out = Vec::new();
    push_u32(&mut out, 0x0001_0000);
    push_u16(&mut out, n);
    push_u16(&mut out, 16 * power);
    push_u16(&mut out, power.trailing_zeros() as u16);
    push_u16(&mut out, 16 * n - 16 * power);
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &tables {
        out.extend_from_slice(*tag);
        push_u32(&mut out, checksum(data));
        push_u32(&mut out, offset as u32);
        push_u32(&mut out, data.len() as u32);
        if *tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}
