//! Ticks of a score axis for any scale: every half point on a scale spanning at most four
//! points, every whole point on a longer one, fewer when the room would crowd them, so labels
//! never overlap. Plotters places the ticks at round values, at most as many as asked.

/// Room a label needs along an axis, in pixels: a label of up to three characters ("2.5",
/// "10") at the charts' text size plus a gap along x; one line of text plus a gap along y.
const ROOM_ALONG_X: u32 = 36;
const ROOM_ALONG_Y: u32 = 30;

/// Half points are labelled only on scales of at most this many points' span.
const HALF_STEPS_UP_TO: f64 = 4.0;

/// How many labels a score axis asks for, and with how many decimals they print.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ticks {
    pub count: usize,
    pub decimals: usize,
}

/// Ticks for a score axis over `range` drawn along `pixels`; `horizontal` for an x axis.
pub fn score_ticks(range: (f64, f64), pixels: u32, horizontal: bool) -> Ticks {
    let span = (range.1 - range.0).max(1.0);
    let room = if horizontal { ROOM_ALONG_X } else { ROOM_ALONG_Y };
    let fit = (pixels / room).max(2) as usize;
    let halves = (span * 2.0).round() as usize + 1;
    if span <= HALF_STEPS_UP_TO && halves <= fit {
        return Ticks {
            count: halves,
            decimals: 1,
        };
    }
    let wholes = span.round() as usize + 1;
    Ticks {
        count: wholes.min(fit),
        decimals: 0,
    }
}

/// A tick's label with the ticks' decimals.
pub fn label(value: f64, ticks: Ticks) -> String {
    format!("{value:.*}", ticks.decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_five_point_scale_keeps_half_points_and_a_long_one_whole_points_that_fit() {
        // 1–5 on 800 px: 9 labels (1.0, 1.5 … 5.0), as the bundled sample always had.
        assert_eq!(
            score_ticks((1.0, 5.0), 800, true),
            Ticks {
                count: 9,
                decimals: 1
            }
        );
        // 0–10 on 800 px: 11 whole points (the 21 half points ran into one strip).
        assert_eq!(
            score_ticks((0.0, 10.0), 800, true),
            Ticks {
                count: 11,
                decimals: 0
            }
        );
        // 0–10 on 300 px: at most 300 / 36 = 8 labels, so plotters steps by 2.
        assert_eq!(
            score_ticks((0.0, 10.0), 300, true),
            Ticks {
                count: 8,
                decimals: 0
            }
        );
        // 1–5 on the 340 px of a group chart: still its 9 half points.
        assert_eq!(
            score_ticks((1.0, 5.0), 340, true),
            Ticks {
                count: 9,
                decimals: 1
            }
        );
        // 1–7 on a 400 px tall axis: 7 whole points.
        assert_eq!(
            score_ticks((1.0, 7.0), 400, false),
            Ticks {
                count: 7,
                decimals: 0
            }
        );
        assert_eq!(label(2.5, score_ticks((1.0, 5.0), 800, true)), "2.5");
        assert_eq!(label(4.0, score_ticks((0.0, 10.0), 800, true)), "4");
    }
}
