/*
 * Gazette search, the pure core: reading text and queries exactly as
 * gazette/tokens.py and gazette/search.py do, decoding postings, combining
 * lists.  No loading, no page: search.js uses it, and tests/test_search_core.py
 * tests it on its own in Chromium.  The rules arrive as data (rules.js,
 * from gazette/tokens.py): useRules() compiles them once.
 */
(function (root) {
  "use strict";

  var R = null;       /* the compiled rules, once useRules() has them */
  var T2S = null;     /* traditional → simplified, loaded for a traditional query */

  function useRules(rules) {
    if (R) {
      return R;
    }
    var S = "[" + rules.space + "]";
    var open = new RegExp("[" + rules.open.replace(/[\]\[\\^-]/g, "\\$&") + "]", "gu");
    var close = new RegExp("[" + rules.close.replace(/[\]\[\\^-]/g, "\\$&") + "]", "gu");
    R = {
      run: new RegExp(rules.run, "gu"),
      unquote: new RegExp(rules.unquote, "gu"),
      between: new RegExp(rules.between, "gu"),
      segment: new RegExp("([" + rules.han + "]+)|(" + S + "+)|([^])", "gu"),
      forms: rules.numberForms.map(function (f) { return new RegExp(f, "u"); }),
      prefixSpace: new RegExp(S + "+", "gu"),
      date: new RegExp(rules.date, "gu"),
      cnDate: new RegExp(rules.cnDate, "gu"),
      cnDigits: rules.cnDigits,
      open: open,
      close: close,
      traditional: new RegExp("[" + rules.t2sKeys + "]", "u"),
      keys: rules.t2sKeys,
      synonyms: rules.synonyms,
      fillers: rules.fillers
    };
    return R;
  }

  function joinSpaced(text) {
    /* As tokens.join_spaced: spaces between single Han characters go. */
    var segs = [];
    var m;
    R.segment.lastIndex = 0;
    while ((m = R.segment.exec(text))) {
      segs.push([m[1] ? 1 : m[2] ? 2 : 3, m[0]]);
    }
    var out = "";
    for (var i = 0; i < segs.length; i++) {
      if (segs[i][0] === 2 && i > 0 && i < segs.length - 1 && segs[i - 1][0] === 1 && segs[i + 1][0] === 1 &&
          (Array.from(segs[i - 1][1]).length === 1 || Array.from(segs[i + 1][1]).length === 1)) {
        continue;
      }
      out += segs[i][1];
    }
    return out;
  }

  function fold(text) {
    var t = text.normalize("NFKC").toLowerCase();
    if (T2S && R.traditional.test(t)) {
      t = Array.from(t).map(function (c) { return T2S[c] || c; }).join("");
    }
    return joinSpaced(t);
  }

  function compact(text) {
    /* Text as a phrase is looked for in it: folded, without the spaces and
       quotation marks between Han characters (as tokens.phrase_runs). */
    return fold(text).replace(R.between, "");
  }

  function needsT2S(text) {
    return !T2S && R.traditional.test(text.normalize("NFKC"));
  }

  function setT2S(values) {
    var keys = Array.from(R.keys);
    var vals = Array.from(values);
    T2S = {};
    keys.forEach(function (k, i) { T2S[k] = vals[i]; });
  }

  function runs(text, unquoted) {
    var out = [];
    var m;
    var folded = fold(text);
    if (unquoted) {
      folded = folded.replace(R.unquote, "");
    }
    R.run.lastIndex = 0;
    while ((m = R.run.exec(folded))) {
      out.push(m[1] ? ["h", m[1]] : ["a", m[2]]);
    }
    return out;
  }

  function grams(run) {
    if (run.length === 1) {
      return [run];
    }
    var out = [];
    for (var i = 0; i < run.length - 1; i++) {
      out.push(run.slice(i, i + 2));
    }
    return out;
  }

  function unique(list) {
    return list.filter(function (x, i) { return list.indexOf(x) === i; });
  }

  function trigrams(run) {
    var out = [];
    for (var i = 0; i + 2 < run.length; i++) {
      out.push(run.slice(i, i + 3));
    }
    return out;
  }

  function quadgrams(run) {
    /* As search.quadgrams, for runs of letters and digits. */
    var out = [];
    for (var i = 0; i + 3 < run.length; i++) {
      out.push(run.slice(i, i + 4));
    }
    return out;
  }

  function queryTerms(text) {
    /* As search.query_terms: a run of three or more also requires its
       trigrams, so its characters must stand in order. */
    var required = [];
    var boost = [];
    runs(withoutDates(text), true).forEach(function (r) {
      required = required.concat(grams(r[1]), trigrams(r[1]), r[0] === "a" ? quadgrams(r[1]) : []);
      if (r[1].length > 2) {
        boost.push(r[0] === "a" ? r[1] : "w:" + r[1]);
      }
    });
    return { required: unique(required.concat(queryDateTerms(text))), boost: unique(boost) };
  }

  /* Document numbers, as tokens.parse_number reads them. */
  function parseNumber(text) {
    var t = text.normalize("NFKC").replace(R.open, "〔").replace(R.close, "〕");
    for (var i = 0; i < R.forms.length; i++) {
      var m = R.forms[i].exec(t);
      if (m) {
        var prefix = m[1].replace(R.prefixSpace, "");
        if (!prefix) {
          return null;
        }
        return prefix + "〔" + parseInt(m[2], 10) + "〕" + parseInt(m[3], 10) + "号";
      }
    }
    return null;
  }

  function cnNumber(text) {
    /* As tokens._cn_number: 一 → 1, 十四 → 14, 三十一 → 31; 二〇二〇 digit by digit. */
    var digit = function (c) { return c === "零" ? 0 : R.cnDigits.indexOf(c); };
    var at = text.indexOf("十");
    if (at < 0) {
      return parseInt(Array.from(text).map(digit).join(""), 10);
    }
    var tens = text.slice(0, at);
    var ones = text.slice(at + 1);
    return (tens ? digit(tens) : 1) * 10 + (ones ? digit(ones) : 0);
  }

  function dates(text) {
    /* As tokens.dates: [year or null, month, day or null] of every date. */
    var t = text.normalize("NFKC").replace(R.cnDate, function (_, y, mo, d) {
      return cnNumber(y) + "年" + cnNumber(mo) + "月" + (d ? cnNumber(d) + "日" : "");
    });
    var out = [];
    var m;
    R.date.lastIndex = 0;
    while ((m = R.date.exec(t))) {
      var parts = m[2] ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]];
      var year = parts[0] ? parseInt(parts[0], 10) : null;
      var month = parseInt(parts[1], 10);
      var day = parts[2] ? parseInt(parts[2], 10) : null;
      var ok = month >= 1 && month <= 12 && (day === null || (day >= 1 && day <= 31)) && (year || day);
      out.push(ok ? { at: m.index, end: m.index + m[0].length, y: year, m: month, d: day } : null);
    }
    return { text: t, found: out };
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function dateTerms(text) {
    /* As tokens.date_terms: d:2020-07, d:2020-07-06 and d:07-06. */
    var out = [];
    dates(text).found.forEach(function (x) {
      if (!x) {
        return;
      }
      if (x.y) {
        out.push("d:" + x.y + "-" + two(x.m));
      }
      if (x.y && x.d) {
        out.push("d:" + x.y + "-" + two(x.m) + "-" + two(x.d));
      }
      if (x.d) {
        out.push("d:" + two(x.m) + "-" + two(x.d));
      }
    });
    return unique(out);
  }

  function queryDateTerms(text) {
    /* As tokens.query_date_terms: the most precise term of each date. */
    return unique(dates(text).found.filter(Boolean).map(function (x) {
      return x.y && x.d ? "d:" + x.y + "-" + two(x.m) + "-" + two(x.d) : x.y ? "d:" + x.y + "-" + two(x.m)
        : "d:" + two(x.m) + "-" + two(x.d);
    }));
  }

  function withoutDates(text) {
    /* As tokens.without_dates. */
    var r = dates(text);
    var out = "";
    var pos = 0;
    r.found.forEach(function (x) {
      if (x) {
        out += r.text.slice(pos, x.at) + " ";
        pos = x.end;
      }
    });
    return out + r.text.slice(pos);
  }

  function shardOf(term, shards) {
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      h ^= term.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  var CODE = null;

  function decodeNumbers(s) {
    var out = [];
    var n = 0;
    var mul = 1;
    for (var i = 0; i < s.length; i++) {
      var v = CODE[s.charCodeAt(i)];
      if (v >= 45) {
        n += (v - 45) * mul;
        mul *= 45;
      } else {
        out.push(n + v * mul);
        n = 0;
        mul = 1;
      }
    }
    return out;
  }

  function setAlphabet(alphabet) {
    CODE = new Int8Array(128).fill(-1);
    for (var i = 0; i < alphabet.length; i++) {
      CODE[alphabet.charCodeAt(i)] = i;
    }
  }

  function weightsFor(candidates, list) {
    /* Walk both sorted lists once: the weight of each candidate, or 0. */
    var out = new Array(candidates.length);
    var j = 0;
    for (var i = 0; i < candidates.length; i++) {
      while (j < list.ids.length && list.ids[j] < candidates[i]) {
        j++;
      }
      out[i] = j < list.ids.length && list.ids[j] === candidates[i] ? list.w[j] : 0;
    }
    return out;
  }

  function intersect(a, b) {
    var out = [];
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        out.push(a[i]);
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return out;
  }

  function covering(lists, weights, share) {
    /* The ids whose lists carry at least `share` of the total weight (each
       list's weight is its term's rarity): how much of the query a notice
       covers, so a missing common pair costs little and a missing rare one
       much. */
    var total = weights.reduce(function (a, b) { return a + b; }, 0);
    var covered = {};
    lists.forEach(function (list, k) {
      list.ids.forEach(function (id) { covered[id] = (covered[id] || 0) + weights[k]; });
    });
    return Object.keys(covered).filter(function (id) { return covered[id] >= share * total - 1e-9; })
      .map(Number).sort(function (a, b) { return a - b; });
  }

  function union(a, b) {
    return a.concat(b.filter(function (x) { return a.indexOf(x) < 0; })).sort(function (x, y) { return x - y; });
  }

  function dropFillers(query) {
    var t = fold(query);
    (R.fillers || []).forEach(function (w) { t = t.split(w).join(" "); });
    return t.replace(/\s+/g, " ").trim();
  }

  function alternatives(query) {
    var folded = fold(query);
    var out = [];
    (R.synonyms || []).forEach(function (pair) {
      if (folded.indexOf(pair[0]) >= 0) {
        pair[1].forEach(function (other) {
          var alt = folded.split(pair[0]).join(other);
          if (out.indexOf(alt) < 0 && out.length < 6) {
            out.push(alt);
          }
        });
      }
    });
    return out;
  }

  root.__gzCore = {
    useRules: useRules, setT2S: setT2S, needsT2S: needsT2S, joinSpaced: joinSpaced, fold: fold, compact: compact, runs: runs,
    grams: grams, trigrams: trigrams, unique: unique, queryTerms: queryTerms, parseNumber: parseNumber, dateTerms: dateTerms,
    queryDateTerms: queryDateTerms, withoutDates: withoutDates, dates: dates,
    shardOf: shardOf, setAlphabet: setAlphabet, decodeNumbers: decodeNumbers, weightsFor: weightsFor,
    intersect: intersect, covering: covering, union: union, dropFillers: dropFillers, alternatives: alternatives
  };
})(window);
