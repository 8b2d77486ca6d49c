/*
 * On the search page only (overrides/main.html loads this first there): the
 * theme's scripts wait until search.js says the first answer is on screen
 * (the document event gazette:results), or 3 s.  At 10,000 notices the start
 * of Material's bundle took the main thread a shared link's results were
 * waiting for (p95 364 -> 293 ms from a link).
 *
 * The template keeps those scripts inert (type="text/x-gazette-later",
 * data-src) and this starts them in order.  The bundle starts on
 * DOMContentLoaded, long past by then, so that event is sent again for it;
 * our own listeners take it once only.  This listens before search.js runs:
 * search.js may answer while the page is still being read.
 */
(function () {
  "use strict";

  var started = false;

  function start() {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start, { once: true });   /* the inert tags are below */
      return;
    }
    if (started) {
      return;
    }
    started = true;
    var inert = document.querySelectorAll("script[type='text/x-gazette-later']");
    var left = inert.length;
    Array.prototype.forEach.call(inert, function (old) {
      var tag = document.createElement("script");
      tag.src = old.getAttribute("data-src");
      tag.async = false;                     /* in the order the theme wrote them */
      tag.onload = tag.onerror = function () {
        if (--left === 0) {
          document.dispatchEvent(new Event("DOMContentLoaded", { bubbles: true }));
        }
      };
      document.body.appendChild(tag);
    });
  }

  document.addEventListener("gazette:results", start, { once: true });
  setTimeout(start, 3000);
})();
