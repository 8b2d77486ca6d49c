/*
 * Gazette search: queries the index that gazette/search.py writes.
 *
 * Every index file is a script calling a function on window.__gz, loaded
 * with a <script> tag, so search works from file:// with no server.  A query
 * loads meta.js once and, beside it, only the shards of its own terms (named
 * by rules.js, already on the page), then the texts of the results it shows.
 * tokenize() must split text exactly as gazette/search.py does;
 * tests/test_search_parity.py checks that they agree.
 */
(function () {
  "use strict";

  var PAGE = 10;

  /* This script is at <root>/assets/javascripts/search.js on every page;
     the index and the notices' addresses are relative to <root>. */
  var script = document.currentScript;
  var root = script ? script.getAttribute("src").replace(/assets\/javascripts\/search\.js.*$/, "") : "";
  var base = root + "search-index/";
  var SUGGEST = 5;
  var G = (window.__gz = window.__gz || {});
  var loaded = {};
  var waiting = {};

  /* --- loading index files with <script> tags ---------------------------- */

  function arrive(key, data) {
    loaded[key] = data;
    if (waiting[key]) {
      waiting[key].resolve(data);
    }
  }
  G.meta = function (_, data) { arrive("meta", data); };
  G.shard = function (k, data) { arrive("shards/" + k, data); };
  G.text = function (k, data) { arrive("text/" + k, data); };
  G.t2s = function (_, data) { arrive("t2s", data); };
  G.more = function (k, data) { arrive("more/" + k, data); };

  function load(key) {
    if (key in loaded) {
      return Promise.resolve(loaded[key]);
    }
    if (!waiting[key]) {
      var entry = (waiting[key] = {});
      entry.promise = new Promise(function (resolve, reject) {
        entry.resolve = resolve;
        var tag = document.createElement("script");
        tag.src = base + key + ".js";
        tag.async = true;
        tag.onerror = function () {
          delete waiting[key];
          reject(new Error("无法读取搜索索引 " + tag.src));
        };
        document.head.appendChild(tag);
      });
    }
    return waiting[key].promise;
  }

  /* The pure core (search-core.js, loaded before this file) and the rules it
     reads text by (rules.js, written by gazette/search.py from gazette/tokens.py,
     loaded before both): a query's terms and shards are known at once. */
  var C = window.__gzCore;
  var R = window.__gzRules;
  if (!R) {
    /* A copy of the site without its index: say so where search would answer. */
    var broken = function () {
      var status = document.getElementById("gz-status");
      if (status) {
        status.textContent = "无法读取搜索索引 " + base + "rules.js";
      }
      document.dispatchEvent(new Event("gazette:results"));
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", broken, { once: true });
    } else {
      broken();
    }
    return;
  }
  var useRules = C.useRules, needsT2S = C.needsT2S, fold = C.fold, runs = C.runs, unique = C.unique;
  var queryTerms = C.queryTerms, parseNumber = C.parseNumber, dateTerms = C.dateTerms, shardOf = C.shardOf;
  var decodeNumbers = C.decodeNumbers, weightsFor = C.weightsFor, intersect = C.intersect, covering = C.covering;
  var grams = C.grams, union = C.union, dropFillers = C.dropFillers, alternatives = C.alternatives;
  useRules(R.rules);
  C.setAlphabet(R.alphabet);

  function loadT2S() {
    return load("t2s").then(C.setT2S);
  }


  /* --- postings ----------------------------------------------------------- */

  function postings(meta, term) {
    var shard = loaded["shards/" + shardOf(term, R.shards)];
    var raw = shard && shard[term];
    if (!raw) {
      return { ids: [], w: [] };
    }
    var nums = decodeNumbers(raw);
    var ids = [];
    var w = [];
    var last = -1;
    for (var i = 0; i < nums.length; i += 2) {
      last = last + nums[i] + 1;
      ids.push(last);
      w.push(nums[i + 1]);
    }
    return { ids: ids, w: w };
  }

  function decodeMeta(meta) {
    if (meta.decoded) {
      return meta;
    }
    meta.yearOf = decodeNumbers(meta.docYears).map(function (y) { return y + meta.yearBase; });
    meta.serialOf = decodeNumbers(meta.docSerials);
    var flat = decodeNumbers(meta.docIssuers);
    meta.issuersOf = [];
    for (var k = 0; k < flat.length; ) {
      var count = flat[k];
      meta.issuersOf.push(flat.slice(k + 1, k + 1 + count));
      k += count + 1;
    }
    meta.decoded = true;
    return meta;
  }

  /* --- the query ---------------------------------------------------------- */

  /* A query, then what the staff's synonym table (synonyms.txt) says it also
     means: what the words as typed find comes first, then what the other
     words find; "partial" only when nothing has all of some form's words. */
  function search(query, filters) {
    return prepare(query).then(function () {
      /* A question typed as a sentence: also without its question words, looked up alongside. */
      var plain = dropFillers(query);
      var second = plain && plain !== fold(query).replace(/\s+/g, " ").trim() ?
        withSynonyms(plain, filters).catch(function () { return null; }) : null;   /* only a second chance */
      return Promise.all([withSynonyms(query, filters), second]);
    }).then(function (both) {
      var found = both[0];
      if (found.total && !found.partial) {
        return found;
      }
      var plain = dropFillers(query);
      var other = both[1];
      if (other && other.total && (!other.partial || !found.total)) {
        other.simplified = plain;
        found = other;
      }
      if (found.total && !found.partial) {
        return found;
      }
      return tolerant(plain || query, filters).then(function (near) {
        return near && near.total ? near : found;
      });
    });
  }

  /* One wrong character (非法急资, 脱贫功坚): the longest Han run with each
     character in turn left open; a notice counts only if its text has the
     run with one character different, which is then shown and highlighted. */
  var TOLERANT_CHECK = 30;
  var MORE_CHECK = 10;

  function tolerant(query, filters) {
    var hans = runs(query).filter(function (r) { return r[0] === "h"; }).map(function (r) { return Array.from(r[1]); });
    var chars = hans.sort(function (a, b) { return b.length - a.length; })[0];
    if (!chars || chars.length < 4 || chars.length > 12) {
      return Promise.resolve(null);
    }
    return load("meta").then(function (meta) {
      var variants = chars.map(function (_, i) {
        /* The pairs and trigrams clear of the open character: every notice
           with the run has them all, and fewer texts are read to check. */
        var terms = [];
        for (var j = 0; j < chars.length - 1; j++) {
          if (j !== i && j + 1 !== i) {
            terms.push(chars[j] + chars[j + 1]);
          }
          if (j + 2 < chars.length && (i < j || i > j + 2)) {
            terms.push(chars[j] + chars[j + 1] + chars[j + 2]);
          }
        }
        var esc = function (cs) { return cs.join("").replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); };
        return { terms: terms, pattern: new RegExp(esc(chars.slice(0, i)) + "[" + R.rules.han + "]" + esc(chars.slice(i + 1)), "u") };
      });
      var shards = unique([].concat.apply([], variants.map(function (v) { return v.terms; }))
        .map(function (term) { return shardOf(term, R.shards); }));
      return Promise.all(shards.map(function (k) { return load("shards/" + k); })).then(function () {
        var seen = {};
        var candidates = [];
        variants.forEach(function (v) {
          var ids = null;
          v.terms.forEach(function (term) {
            var list = postings(meta, term).ids;
            ids = ids === null ? list : intersect(ids, list);
          });
          (ids || []).forEach(function (id) {
            if (!seen[id]) {
              seen[id] = true;
              candidates.push(id);
            }
          });
        });
        var year = filters && filters.year ? parseInt(filters.year, 10) : null;
        var issuer = filters && filters.issuer ? meta.issuers.indexOf(filters.issuer) : -1;
        candidates = candidates.filter(function (id) {
          return (year === null || meta.yearOf[id] === year) && (issuer < 0 || meta.issuersOf[id].indexOf(issuer) >= 0);
        }).sort(function (a, b) { return a - b; }).slice(0, TOLERANT_CHECK);
        return Promise.all(candidates.map(doc)).then(function (docs) {
          /* The rest of a long text, for the first few whose start does not have it. */
          var seen = 0;
          return Promise.all(docs.map(function (d) {
            var start = compact(d.title + "\n" + d.text);
            var has = variants.some(function (v) { return v.pattern.test(start); });
            if (has || !d.more || seen++ >= MORE_CHECK) {
              return d;
            }
            return load("more/" + d.id).then(function (rest) { return Object.assign({}, d, { text: d.text + rest }); });
          }));
        }).then(function (docs) {
          var hits = [];
          var forms = [];
          docs.forEach(function (d) {
            var title = compact(d.title);
            var text = compact(d.title + "\n" + d.text);
            for (var i = 0; i < variants.length; i++) {
              var m = variants[i].pattern.exec(text);
              if (m) {
                /* In the title first, then by how often the text has it. */
                hits.push([title.indexOf(m[0]) >= 0 ? 1 : 0, text.split(m[0]).length - 1, d.id]);
                if (forms.indexOf(m[0]) < 0) {
                  forms.push(m[0]);
                }
                return;
              }
            }
          });
          hits.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1] || a[2] - b[2]; });
          var found = hits.map(function (h) { return h[2]; });
          return { ids: found, total: found.length, partial: false, tolerated: forms, exact: [],
                   needles: { runs: forms, grams: [] } };
        });
      });
    });
  }

  /* The query and its synonym forms are looked up at once: their shards
     and texts load side by side, not one round after another. */
  function withSynonyms(query, filters) {
    return prepare(query).then(function () {
      var alts = parseNumber(query) ? [] : alternatives(query);   /* a document number is not words */
      return Promise.all([query].concat(alts).map(function (q) { return core(q, filters); })).then(function (groups) {
        var found = groups[0];
        if (!alts.length) {
          return found;
        }
        var full = groups.filter(function (g) { return !g.partial; });
        var partial = groups.filter(function (g) { return g.partial; });
        var seen = {};
        var ids = [];
        full.forEach(function (g) {
          g.ids.forEach(function (id) {
            if (!seen[id]) {
              seen[id] = true;
              ids.push(id);
            }
          });
        });
        /* Partial matches of every form together, by how much they cover. */
        var rest = [];
        partial.forEach(function (g, k) {
          g.ids.forEach(function (id, i) { rest.push([g.cover ? g.cover[i] : 0, k, i, id]); });
        });
        rest.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1] || a[2] - b[2]; });
        rest.forEach(function (r) {
          if (!seen[r[3]]) {
            seen[r[3]] = true;
            ids.push(r[3]);
          }
        });
        var fullCount = 0;
        full.forEach(function (g) { fullCount += g.ids.length; });
        return {
          ids: ids,
          total: ids.length,
          partial: fullCount === 0 && ids.length > 0,
          exact: found.exact || [],
          expanded: alts,
          number: found.number,
          needles: {
            runs: unique(groups.reduce(function (a, g) { return a.concat(g.needles.runs); }, [])),
            grams: unique(groups.reduce(function (a, g) { return a.concat(g.needles.grams); }, []))
          }
        };
      });
    });
  }

  /* The traditional-simplified table, if the query needs it. */
  function prepare(query) {
    return needsT2S(query) ? loadT2S() : Promise.resolve();
  }

  /* The shards of a query's terms load beside meta.js: the rules that name
     them (rules.js) are already on the page. */
  function core(query, filters) {
    filters = filters || {};
    return prepare(query).then(function () {
      var t = queryTerms(query);
      var special = [];
      var number = parseNumber(query);
      if (number) {
        special.push(["n:" + fold(number), 100000], ["c:" + fold(number), 50000]);  /* the notice, then those citing it */
      }
      var serial = /^\s*(\d{1,6})\s*号\s*$/.exec(query.normalize("NFKC"));
      if (serial) {
        special.push(["s:" + parseInt(serial[1], 10), 1000]);
      }
      /* A pair inside a required trigram adds nothing to which notices match:
         load it only if nothing holds the whole query (for coverage). */
      var lean = t.required.filter(function (term) {
        return term.length !== 2 || !t.required.some(function (x) {
          return x.length > 2 && x.indexOf(":") < 0 && x.indexOf(term) >= 0;
        });
      });
      var all = lean.concat(t.boost, special.map(function (s) { return s[0]; }));
      if (!t.required.length && !special.length) {
        return { ids: [], total: 0, needles: { runs: [], grams: [] } };
      }
      var parts = number ? /^(.*)〔(\d+)〕(\d+)号$/.exec(number) : null;
      if (parts) {
        all.push("p:" + fold(parts[1]), "y:" + parts[2]);
      }
      var shards = unique(all.map(function (term) { return shardOf(term, R.shards); }));
      return Promise.all([load("meta")].concat(shards.map(function (k) { return load("shards/" + k); }))).then(function (got) {
        var meta = decodeMeta(got[0]);
        if (parts && !postings(meta, "n:" + fold(number)).ids.length) {
          if (!postings(meta, "c:" + fold(number)).ids.length) {
            return nearest(meta, number, parts, filters);
          }
          /* Not here, but cited here: the notices that cite it. */
          return Promise.resolve(rerank(meta, query, rank(meta, query, { required: [], boost: [] }, special, filters)))
            .then(function (found) { found.citedNumber = number; return found; });
        }
        var held = null;
        lean.forEach(function (term) {
          held = held === null ? postings(meta, term).ids : intersect(held, postings(meta, term).ids);
        });
        if (held && held.length || lean.length === t.required.length) {
          return rerank(meta, query, rank(meta, query, { required: lean, boost: t.boost }, special, filters));
        }
        var rest = unique(t.required.filter(function (term) { return lean.indexOf(term) < 0; })
          .map(function (term) { return shardOf(term, R.shards); }));
        return Promise.all(rest.map(function (k) { return load("shards/" + k); })).then(function () {
          return rerank(meta, query, rank(meta, query, t, special, filters));
        });
      }).then(function (found) {
        found.number = number;
        if (number) {             /* highlight the number itself, not its pieces in other numbers */
          found.needles = { runs: [fold(number)], grams: [] };
        }
        found.needles.number = number;
        return found;
      });
    });
  }

  /* A number that reads as one but names no notice here: say so, and offer
     the nearest numbers of the same series and year (never unrelated text). */
  var NEAREST = 5;

  function nearest(meta, number, parts, filters) {
    var series = intersect(postings(meta, "p:" + fold(parts[1])).ids, postings(meta, "y:" + parts[2]).ids);
    var wanted = parseInt(parts[3], 10);
    /* The serials are in meta.js: no notice is loaded to find the neighbours. */
    var ids = series.map(function (id) { return [Math.abs(meta.serialOf[id] - wanted), id]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; }).slice(0, NEAREST)
      .map(function (x) { return x[1]; });
    return Promise.resolve({ ids: ids, total: ids.length, partial: false, exact: [], missingNumber: number,
                             needles: { runs: [], grams: [] } });
  }

  var SATURATION = 3;
  var TITLE_BONUS = 2;
  var COVERAGE = 0.75;   /* share of the query's weight a partial match must cover */
  var HAN = new RegExp("^[" + R.rules.han + "]", "u");


  function rank(meta, query, t, special, filters) {
    var n = meta.count;
    var lists = t.required.map(function (term) { return postings(meta, term); });
    var candidates = null;
    lists.forEach(function (list) {
      candidates = candidates === null ? list.ids : intersect(candidates, list.ids);
    });
    candidates = candidates || [];
    var partial = false;
    function idf(list) {
      return Math.log(1 + n / Math.max(list.ids.length, 1));
    }
    if (!candidates.length && lists.length > 2) {
      /* Nothing has every term: take what covers most of the query, weighed
         by each term's rarity, and say so.  Below COVERAGE nothing is
         relevant, and the answer is none. */
      /* Han pairs and characters count towards coverage; letters and digits
         (124, 2020, ktv) are whole or not at all. */
      var pairs = [];
      var whole = null;
      lists.forEach(function (list, k) {
        if (!HAN.test(t.required[k])) {
          whole = whole === null ? list.ids : intersect(whole, list.ids);
        } else if (t.required[k].length < 3) {
          pairs.push(list);
        }
      });
      /* A pair found nowhere (任培 of 儿童主任培训, where two words meet)
         weighs nothing; but if most pairs are found nowhere, the query is
         about something this library does not hold. */
      var absent = pairs.filter(function (list) { return !list.ids.length; }).length;
      candidates = pairs.length > 2 && absent * 2 <= pairs.length ?
        covering(pairs, pairs.map(function (list) { return list.ids.length ? idf(list) : 0; }), COVERAGE) : [];
      if (whole !== null) {
        candidates = intersect(candidates, whole);
      }
      partial = candidates.length > 0;
    }
    var specialLists = special.map(function (s) { return postings(meta, s[0]); });
    specialLists.forEach(function (list, i) {
      if (special[i][1] >= 50000) {
        candidates = union(candidates, list.ids); /* the number itself, and who cites it, always count */
      }
    });
    var year = filters.year ? parseInt(filters.year, 10) : null;
    var issuer = filters.issuer ? meta.issuers.indexOf(filters.issuer) : -1;
    candidates = candidates.filter(function (id) {
      return (year === null || meta.yearOf[id] === year) &&
        (issuer < 0 || meta.issuersOf[id].indexOf(issuer) >= 0);
    });
    var scores = new Float64Array(candidates.length);
    /* BM25-like: each term's weight saturates (SATURATION), so one strong
       term (民政局 as the issuer) no longer outweighs another (救助 twenty
       times) — every word of the query counts, the rarer the more. */
    function add(list, factor, bonus) {
      var rarity = idf(list);
      weightsFor(candidates, list).forEach(function (w, i) {
        var title = bonus && w >= R.titleWeight ? TITLE_BONUS : 0;
        scores[i] += factor * rarity * ((w * (SATURATION + 1)) / (w + SATURATION) + title);
      });
    }
    /* A word of the query in the title counts beyond saturation: once per
       word (all its terms in the title), so a long word is not counted many
       times; in a partial match, per pair, as its words are unknown. */
    lists.forEach(function (list) { add(list, 1, partial && t.required[lists.indexOf(list)].length < 3); });
    if (!partial) {
      runs(C.withoutDates(query), true).forEach(function (r) {
        var terms = grams(r[1]).concat(C.trigrams(r[1])).filter(function (term) { return t.required.indexOf(term) >= 0; });
        var inTitle = candidates.map(function () { return true; });
        var rarity = 0;
        terms.forEach(function (term) {
          var list = postings(meta, term);
          rarity += idf(list) / terms.length;
          weightsFor(candidates, list).forEach(function (w, i) { inTitle[i] = inTitle[i] && w >= R.titleWeight; });
        });
        inTitle.forEach(function (yes, i) { scores[i] += yes ? TITLE_BONUS * rarity : 0; });
      });
    }
    t.boost.forEach(function (term) { add(postings(meta, term), 2); });
    var exact = [];
    specialLists.forEach(function (list, i) {
      weightsFor(candidates, list).forEach(function (w, k) {
        if (w) {
          scores[k] += special[i][1];
          if (special[i][1] >= 100000) {
            exact.push(candidates[k]);
          }
        }
      });
    });
    /* A partial match is ordered by how much of the query it covers, a pair
       in the title counting double: comparable across the synonym forms. */
    var cover = new Float64Array(candidates.length);
    if (partial) {
      var most = 0;
      lists.forEach(function (list, k) {
        if (HAN.test(t.required[k]) && t.required[k].length < 3 && list.ids.length) {
          most += 2 * idf(list);
          weightsFor(candidates, list).forEach(function (w, i) {
            cover[i] += w ? idf(list) * (w >= R.titleWeight ? 2 : 1) : 0;
          });
        }
      });
      cover = cover.map(function (c) { return Math.round(20 * c / (most || 1)) / 20; });
    }
    var order = candidates.map(function (_, i) { return i; });
    order.sort(function (a, b) { return cover[b] - cover[a] || scores[b] - scores[a] || candidates[a] - candidates[b]; });
    return {
      ids: order.map(function (i) { return candidates[i]; }),
      cover: order.map(function (i) { return cover[i]; }),
      total: candidates.length,
      partial: partial,
      exact: exact,
      needles: needles(query, t)
    };
  }

  /* Rerank the first page only: its texts are loaded for snippets anyway,
     and each further file costs a script load (at 10,000 notices, 20 files
     made p95 ~100 ms worse than 10). */
  var RERANK = PAGE;

  var compact = C.compact;

  function rerank(meta, query, found) {
    /* Postings know no positions, so 2020年9月1日 scores like its scattered
       characters.  Of the first page, the notices that hold the query as a
       phrase move up, after those whose own number matched. */
    if (found.ids.length < 2) {
      return found;
    }
    /* A partial match holds neither the phrase nor every word (it would then
       have every term), so only a number, a date or quotation marks (“十四五”规划:
       the words 十四五 and 规划, the terms of 十四五规划) can move it: load nothing. */
    var bare = C.withoutDates(query);
    var unquoted = runs(bare, true).length === runs(bare).length;
    if (found.partial && !found.exact.length && !C.dates(query).found.some(Boolean) && unquoted) {
      return found;
    }
    var head = found.ids.slice(0, RERANK);
    var phrase = compact(C.withoutDates(query)).trim();   /* a date is matched by its term, not as text */
    if (!phrase) {
      return found;
    }
    var words = found.needles.runs;
    return Promise.all(head.map(doc)).then(function (docs) {
      var tier = docs.map(function (d, i) {
        var text = compact(d.title + "\n" + d.text);
        var exact = found.exact.indexOf(head[i]) >= 0 ? 4 : 0;
        if (text.indexOf(phrase) >= 0) {
          return exact + 2;
        }
        return exact + (words.every(function (w) { return text.indexOf(w) >= 0; }) ? 1 : 0);
      });
      var order = head.map(function (_, i) { return i; });
      order.sort(function (a, b) { return tier[b] - tier[a] || a - b; });
      found.ids = order.map(function (i) { return head[i]; }).concat(found.ids.slice(RERANK));
      return found;
    });
  }

  function meaningful(w) {
    /* A lone digit or letter is no highlight: it is everywhere. */
    return !/^[0-9a-z.%]$/.test(w);
  }

  function needles(query, t) {
    /* What to highlight: the query's own words where the text has them,
       else the bigrams that matched (see words()). */
    var dates = C.dates(query).found.filter(Boolean).map(function (x) {
      return (x.y ? x.y + "年" : "") + x.m + "月" + (x.d ? x.d + "日" : "");
    });
    return { runs: runs(C.withoutDates(query)).map(function (r) { return r[1]; }).concat(dates), grams: t.required };
  }

  function words(found, title, text) {
    found = { runs: found.runs.filter(meaningful), grams: found.grams.filter(meaningful) };
    var lower = (title + "\n" + text).toLowerCase();
    var whole = found.runs.filter(function (r) { return lower.indexOf(r) >= 0; });
    var list = whole.length === found.runs.length ? whole : whole.concat(found.grams);
    return list.sort(function (a, b) { return b.length - a.length; });
  }

  /* --- results ------------------------------------------------------------ */

  function doc(id) {
    return load("text/" + id).then(function (d) { return Object.assign({ id: id }, d); });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function mark(text, words) {
    /* Wrap every occurrence of any word in <mark>, longest first. */
    var lower = text.toLowerCase();
    var hits = [];
    words.forEach(function (w) {
      if (!w) {
        return;
      }
      for (var at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + 1)) {
        hits.push([at, at + w.length]);
      }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var out = "";
    var pos = 0;
    hits.forEach(function (h) {
      if (h[0] < pos) {
        return;
      }
      out += escapeHtml(text.slice(pos, h[0])) + "<mark>" + escapeHtml(text.slice(h[0], h[1])) + "</mark>";
      pos = h[1];
    });
    return out + escapeHtml(text.slice(pos));
  }

  function snippet(text, words) {
    var lower = text.toLowerCase();
    var at = -1;
    for (var i = 0; i < words.length && at < 0; i++) {
      at = lower.indexOf(words[i]);
    }
    var start = Math.max(0, at - 30);
    var piece = text.slice(start, start + 120).replace(/\s+/g, " ");
    return (start > 0 ? "…" : "") + mark(piece, words) + (start + 120 < text.length ? "…" : "");
  }

  function result(meta, id, found) {
    return doc(id).then(function (d) {
      d.matched = !!found.number && d.number === found.number;
      var list = words(found, d.title, d.text);
      d.snippet = snippet(d.text, list);
      d.titleHtml = mark(d.title, list);
      return d;
    });
  }

  function cnDate(iso) {
    var p = iso.split("-");
    return parseInt(p[0], 10) + "年" + parseInt(p[1], 10) + "月" + parseInt(p[2], 10) + "日";
  }

  function render(d) {
    var li = document.createElement("li");
    li.className = "gz-result";
    var number = d.number ? (d.matched ? "<mark>" + escapeHtml(d.number) + "</mark>" : escapeHtml(d.number)) : "";
    var meta = [number].concat([d.issuers, cnDate(d.date)].map(escapeHtml)).filter(Boolean).join(" · ");
    li.innerHTML =
      '<a href="' + escapeHtml(root + d.url) + '">' +
      '<span class="gz-result__title">' + d.titleHtml + "</span>" +
      '<span class="gz-result__meta">' + meta + "</span>" +
      '<span class="gz-result__snippet">' + d.snippet + "</span></a>";
    return li;
  }

  /* --- the search page ---------------------------------------------------- */

  function page() {
    var input = document.getElementById("gz-q");
    var list = document.getElementById("search-results");
    if (!input || !list) {
      return;
    }
    var status = document.getElementById("gz-status");
    var more = document.getElementById("gz-more");
    var issuerSelect = document.getElementById("gz-issuer");
    var yearSelect = document.getElementById("gz-year");
    var params = new URLSearchParams(location.search);
    var current = null;
    var shown = 0;
    var generation = 0;
    var announced = false;

    input.value = params.get("q") || "";
    document.querySelectorAll(".gz-header-search input[name=q]").forEach(function (box) {
      box.value = input.value;
    });

    /* A link with words only starts at once; one with a filter waits for
       the lists it chooses from (meta.js). */
    var filtered = params.get("issuer") || params.get("year");
    load("meta").then(function (meta) {
      meta.issuers.forEach(function (name) { issuerSelect.add(new Option(name, name)); });
      meta.years.forEach(function (y) { yearSelect.add(new Option(y + "年", String(y))); });
      issuerSelect.value = params.get("issuer") || "";
      yearSelect.value = params.get("year") || "";
      if (filtered) {
        run("replace");
      }
    }, function (e) { status.textContent = e.message; });
    if (!filtered) {
      run("replace");
    }

    function remember(how) {
      var p = new URLSearchParams();
      if (input.value) { p.set("q", input.value); }
      if (issuerSelect.value) { p.set("issuer", issuerSelect.value); }
      if (yearSelect.value) { p.set("year", yearSelect.value); }
      /* Each settled search is an entry of its own, so Back returns to the
         previous one; keystrokes in between only update the current entry. */
      var url = "?" + p.toString();
      try {
        if (how === "push" && url !== location.search) {
          history.pushState(null, "", url);
        } else if (how !== "pop") {
          history.replaceState(null, "", url);
        }
      } catch (e) { /* some browsers refuse this on file:// */ }
    }

    function showMore(meta, found, mine) {
      var ids = found.ids.slice(shown, shown + PAGE);
      shown += ids.length;
      return Promise.all(ids.map(function (id) { return result(meta, id, found.needles); })).then(function (docs) {
        if (mine !== generation) {
          return;
        }
        docs.forEach(function (d) { list.appendChild(render(d)); });
        more.hidden = shown >= found.total;
      });
    }

    function describe(found, q) {
      var e = escapeHtml;
      if (found.citedNumber) {
        return "本站没有发文字号为 <strong>" + e(found.citedNumber) + "</strong> 的文件。以下 " + found.total +
          " 件文件引用了它：";
      }
      if (found.missingNumber) {
        return "没有发文字号为 <strong>" + e(found.missingNumber) + "</strong> 的文件。" +
          (found.total ? "以下是同一机关代字、同一年份中字号相近的文件：" : "本站也没有同一机关代字、同一年份的其他文件。");
      }
      if (found.browse) {
        return "共 " + found.total + " 件文件，按成文日期由新到旧排列。";
      }
      if (!found.total) {
        var words = runs(q).map(function (r) { return r[1]; });
        var tips = [];
        if (words.length > 1) {
          tips.push("去掉一个字词再试，如 " + words.slice(0, -1).map(function (w) {
            return '<a href="?q=' + encodeURIComponent(w) + '">' + e(w) + "</a>";
          }).join("、"));
        }
        tips.push('<a href="' + e(root) + 'issuers/index.html">按发文机关</a>、<a href="' + e(root) +
          'topics/index.html">按主题</a>或<a href="' + e(root) + 'years/index.html">按年份</a>浏览');
        return "没有找到包含“" + e(q) + "”的文件。可以" + tips.join("；或") + "。";
      }
      if (found.tolerated) {
        return "没有找到“" + e(q) + "”。以下 " + found.total + " 件文件包含相近的“" + e(found.tolerated.join("、")) + "”：";
      }
      var via = found.expanded && found.expanded.length ? "（含同义词“" + e(found.expanded.join("、")) + "”）" : "";
      if (found.simplified) {
        via += "（按“" + e(found.simplified) + "”查找）";
      }
      if (found.partial) {
        return "没有完全符合的文件；以下 " + found.total + " 件包含其中大部分字词" + via + "。";
      }
      return "找到 " + found.total + " 件文件" + via;
    }

    function browse(meta, filters) {
      /* No words, only a filter: every notice of that issuer or year, newest first. */
      var year = filters.year ? parseInt(filters.year, 10) : null;
      var issuer = filters.issuer ? meta.issuers.indexOf(filters.issuer) : -1;
      var ids = [];
      for (var id = 0; id < meta.count; id++) {
        if ((year === null || meta.yearOf[id] === year) && (issuer < 0 || meta.issuersOf[id].indexOf(issuer) >= 0)) {
          ids.push(id);
        }
      }
      return { ids: ids, total: ids.length, browse: true, needles: { runs: [], grams: [] } };
    }

    function run(how) {
      var mine = ++generation;
      var q = input.value.trim();
      remember(how);
      if (!q && !issuerSelect.value && !yearSelect.value) {
        list.innerHTML = "";
        status.textContent = "输入标题、正文中的字词或发文字号，或者选择发文机关、年份浏览。";
        more.hidden = true;
        announce();
        return;
      }
      if (!q) {
        load("meta").then(function (meta) {
          decodeMeta(meta);
          if (mine !== generation) {
            return;
          }
          current = browse(meta, { issuer: issuerSelect.value, year: yearSelect.value });
          shown = 0;
          list.innerHTML = "";
          status.innerHTML = describe(current, q);
          return showMore(meta, current, mine);
        }).then(announce, announce);
        return;
      }
      status.textContent = "正在搜索…";
      var filters = { issuer: issuerSelect.value, year: yearSelect.value };
      Promise.all([load("meta"), search(q, filters)]).then(function (both) {
        if (mine !== generation) {
          return;
        }
        current = both[1];
        shown = 0;
        list.innerHTML = "";
        status.innerHTML = describe(current, q);
        return showMore(both[0], current, mine);
      }).catch(function (e) { status.textContent = e.message; }).then(announce);
    }

    /* The first answer is on screen: what waited for it may start (Material's
       bundle on this page: theme-later.js). */
    function announce() {
      if (!announced) {
        announced = true;
        document.dispatchEvent(new Event("gazette:results"));
      }
    }

    var timer = null;
    var settle = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      clearTimeout(settle);
      timer = setTimeout(function () { run("replace"); }, 50);
      settle = setTimeout(function () { remember("push"); }, 1000);
    });
    input.form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(settle);
      run("push");
    });
    issuerSelect.addEventListener("change", function () { run("push"); });
    yearSelect.addEventListener("change", function () { run("push"); });
    window.addEventListener("popstate", function () {
      var p = new URLSearchParams(location.search);
      input.value = p.get("q") || "";
      issuerSelect.value = p.get("issuer") || "";
      yearSelect.value = p.get("year") || "";
      run("pop");
    });
    more.addEventListener("click", function () {
      load("meta").then(function (meta) { showMore(meta, current, generation); });
    });
  }

  /* --- the header box on every other page: results as you type ---------- */

  function header() {
    var form = document.querySelector(".gz-header-search");
    if (!form || document.getElementById("gz-q")) {
      return;                     /* the search page is live itself */
    }
    var input = form.querySelector("input[name=q]");
    var box = document.createElement("ol");
    box.className = "gz-suggest";
    box.id = "gz-suggest";
    box.hidden = true;
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", "搜索建议");
    form.appendChild(box);
    /* An ARIA combobox (WAI-ARIA 1.2 pattern): the box keeps focus, arrow
       keys move the active option, Enter opens it, Escape closes the list. */
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "gz-suggest");
    input.setAttribute("aria-expanded", "false");
    var generation = 0;
    var timer = null;
    var active = -1;

    function options() {
      return Array.prototype.slice.call(box.querySelectorAll("[role=option]"));
    }

    function highlight(i) {
      var all = options();
      active = all.length ? (i + all.length) % all.length : -1;
      all.forEach(function (o, k) { o.setAttribute("aria-selected", k === active ? "true" : "false"); });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      box.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function run() {
      var mine = ++generation;
      var q = input.value.trim();
      if (!q) {
        close();
        return;
      }
      Promise.all([load("meta"), search(q)]).then(function (both) {
        var found = both[1];
        return Promise.all(found.ids.slice(0, SUGGEST).map(function (id) {
          return result(both[0], id, found.needles);
        })).then(function (docs) {
          if (mine !== generation) {
            return;
          }
          box.innerHTML = "";
          docs.forEach(function (d, k) {
            var item = render(d);
            item.id = "gz-suggest-" + k;
            item.setAttribute("role", "option");
            item.setAttribute("aria-selected", "false");
            box.appendChild(item);
          });
          var all = document.createElement("li");
          all.className = "gz-suggest__all";
          all.innerHTML = found.total
            ? '<a href="' + escapeHtml(form.getAttribute("action")) + "?q=" + encodeURIComponent(q) + '">查看全部 ' + found.total + " 件结果</a>"
            : "没有找到相关文件。";
          if (found.total) {
            all.id = "gz-suggest-all";
            all.setAttribute("role", "option");
            all.setAttribute("aria-selected", "false");
          }
          box.appendChild(all);
          box.hidden = false;
          active = -1;
          input.setAttribute("aria-expanded", "true");
        });
      }).catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        close();
      } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && !box.hidden) {
        e.preventDefault();
        highlight(e.key === "ArrowDown" ? active + 1 : (active < 0 ? -1 : active - 1));
      } else if (e.key === "Enter" && active >= 0) {
        var link = options()[active].querySelector("a");
        if (link) {
          e.preventDefault();
          link.click();
        }
      }
    });
    document.addEventListener("click", function (e) {
      if (!form.contains(e.target)) {
        close();
      }
    });
  }

  G.search = search;
  /* For tests: the same rules as Python, with the traditional table loaded. */
  G.ready = function () {
    return loadT2S();
  };
  G.tokenize = function (text) { return queryTerms(text); };
  G.fold = fold;
  G.dateTerms = dateTerms;
  G.withoutDates = C.withoutDates;
  G.parseNumber = parseNumber;
  G.shardOf = shardOf;
  G.decode = function (text) {
    return load("meta").then(function (meta) { decodeMeta(meta); return decodeNumbers(text); });
  };
  G.load = load;

  function start() {
    page();
    header();
  }

  /* The page's elements come before this script: a search starts at once,
     without waiting for Material's bundle after it. */
  if (document.readyState === "loading" && !document.getElementById("search-results")) {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
