//! One column of an export's cells, stored as codes into the column's distinct texts: a survey
//! column holds a handful of distinct answers however many rows it has, so each text is kept
//! (and later interpreted) once. Columns whose texts are mostly distinct (ids, timestamps)
//! stop looking for repeats and keep every cell.

use std::collections::HashMap;

/// Distinct texts a column may have before it stops looking for repeats.
const DISTINCT_LIMIT: usize = 4096;
/// Texts compared directly, before the hash index is consulted.
const RECENT: usize = 16;
/// Slots of the cache of codes by length and first and last byte.
const SLOTS: usize = 64;

/// A column's cells: `codes[row]` indexes the column's texts; code 0 is the empty text.
#[derive(Debug, Clone, PartialEq)]
pub struct Cells {
    /// Every text, one after the other; text `k` is `text[ends[k - 1]..ends[k]]`.
    text: String,
    ends: Vec<usize>,
    codes: Vec<u32>,
}

impl Default for Cells {
    fn default() -> Self {
        Cells {
            text: String::new(),
            ends: vec![0],
            codes: Vec::new(),
        }
    }
}

impl Cells {
    /// A column of `rows` empty cells.
    pub fn empty(rows: usize) -> Cells {
        Cells {
            codes: vec![0; rows],
            ..Cells::default()
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The text of a row's cell.
    pub fn get(&self, row: usize) -> &str {
        self.value(self.codes[row])
    }

    /// Each row's code.
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// Number of codes (distinct texts, or every text of a column that stopped looking).
    pub fn values(&self) -> usize {
        self.ends.len()
    }

    /// The text of a code.
    pub fn value(&self, code: u32) -> &str {
        let k = code as usize;
        if k == 0 {
            return "";
        }
        &self.text[self.ends[k - 1]..self.ends[k]]
    }

    /// The cells of the given rows, in that order.
    pub fn select(&self, rows: &[usize]) -> Cells {
        Cells {
            text: self.text.clone(),
            ends: self.ends.clone(),
            codes: rows.iter().map(|&r| self.codes[r]).collect(),
        }
    }

    /// Drops the first `n` rows.
    pub fn skip(&mut self, n: usize) {
        self.codes.drain(..n.min(self.codes.len()));
    }

    fn bytes(&self, code: u32) -> &[u8] {
        let k = code as usize;
        if k == 0 {
            return &[];
        }
        &self.text.as_bytes()[self.ends[k - 1]..self.ends[k]]
    }

    fn add(&mut self, text: &str) -> u32 {
        self.text.push_str(text);
        self.ends.push(self.text.len());
        (self.ends.len() - 1) as u32
    }
}

/// Builds a [`Cells`] a cell at a time.
#[derive(Debug, Default)]
pub struct CellsBuilder {
    cells: Cells,
    /// The code last seen for texts of each (length, first byte, last byte) slot, plus one.
    slots: Vec<u32>,
    /// The first distinct texts with their codes, compared directly.
    recent: Vec<(Box<[u8]>, u32)>,
    index: HashMap<Box<[u8]>, u32>,
    /// Too many distinct texts: every cell is kept as it comes.
    plain: bool,
}

impl CellsBuilder {
    /// A builder whose first `rows` cells are empty (a column first seen on a later row).
    pub fn with_empty_rows(rows: usize) -> CellsBuilder {
        CellsBuilder {
            cells: Cells::empty(rows),
            ..CellsBuilder::default()
        }
    }

    pub fn push_empty(&mut self) {
        self.cells.codes.push(0);
    }

    /// Adds a cell given as UTF-8 bytes (a field of text already known to be UTF-8).
    pub fn push_bytes(&mut self, field: &[u8]) {
        if field.is_empty() {
            return self.push_empty();
        }
        let code = self.find(field).unwrap_or_else(|| {
            // Callers pass fields of text already decoded as UTF-8; a stray byte is replaced,
            // never a panic.
            self.insert(&String::from_utf8_lossy(field))
        });
        self.cells.codes.push(code);
    }

    /// Adds the cells of another builder, as if each had been pushed here: the same codes
    /// for the same texts (looked up once per text of `next` while this column keeps looking
    /// for repeats), and a code per cell once it stops.
    pub fn append(&mut self, next: CellsBuilder) {
        let next = next.cells;
        let mut codes = vec![u32::MAX; next.values()];
        for &code in &next.codes {
            let known = codes[code as usize];
            if known != u32::MAX && !self.plain {
                self.cells.codes.push(known);
                continue;
            }
            self.push_bytes(next.bytes(code));
            if !self.plain {
                codes[code as usize] = *self.cells.codes.last().unwrap_or(&0);
            }
        }
    }

    pub fn push(&mut self, text: &str) {
        self.push_bytes(text.as_bytes());
    }

    fn slot(field: &[u8]) -> usize {
        let (first, last) = (field[0] as usize, field[field.len() - 1] as usize);
        (field.len().wrapping_mul(31) ^ first.wrapping_mul(7) ^ last) % SLOTS
    }

    fn find(&mut self, field: &[u8]) -> Option<u32> {
        if self.plain {
            return None;
        }
        if self.slots.is_empty() {
            self.slots = vec![0; SLOTS];
        }
        let slot = Self::slot(field);
        let seen = self.slots[slot];
        if seen > 0 && self.cells.bytes(seen - 1) == field {
            return Some(seen - 1);
        }
        let code = self
            .recent
            .iter()
            .find(|(text, _)| **text == *field)
            .map(|(_, code)| *code)
            .or_else(|| self.index.get(field).copied())?;
        self.slots[slot] = code + 1;
        Some(code)
    }

    fn insert(&mut self, text: &str) -> u32 {
        let code = self.cells.add(text);
        if self.plain {
            return code;
        }
        if self.recent.len() < RECENT {
            self.recent.push((text.as_bytes().into(), code));
        } else if self.index.len() < DISTINCT_LIMIT {
            self.index.insert(text.as_bytes().into(), code);
        } else {
            self.plain = true;
            self.index = HashMap::new();
        }
        code
    }

    pub fn finish(self) -> Cells {
        self.cells
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_texts_are_stored_once() {
        let mut b = CellsBuilder::with_empty_rows(1);
        for t in ["Agree", "", "Disagree", "Agree", "Agree"] {
            b.push(t);
        }
        let cells = b.finish();
        assert_eq!(cells.len(), 6);
        assert_eq!(cells.values(), 3);
        let texts: Vec<&str> = (0..cells.len()).map(|r| cells.get(r)).collect();
        assert_eq!(texts, ["", "Agree", "", "Disagree", "Agree", "Agree"]);
        let picked = cells.select(&[3, 1]);
        assert_eq!((picked.get(0), picked.get(1)), ("Disagree", "Agree"));
    }

    #[test]
    fn mostly_distinct_columns_keep_every_cell() {
        let mut b = CellsBuilder::default();
        let n = RECENT + DISTINCT_LIMIT + 10;
        for i in 0..n {
            b.push(&format!("id-{i}"));
        }
        b.push("id-3");
        let cells = b.finish();
        assert_eq!(cells.len(), n + 1);
        assert_eq!(cells.get(n), "id-3");
        assert_eq!(cells.get(RECENT + 5), format!("id-{}", RECENT + 5));
    }
}
