# plot.gp — the loomsearch benchmark's scaling figure: four panels against the
# number of posts (log x), one line per engine.
#
# Called by bench/report as
#   gnuplot -e "datadir='DIR'; outfile='OUT.png'; xmin=500; xmax=200000" bench/plot.gp
# (plus lt_query='1 2 3', lt_http=..., lt_index=...: see the line types below).
# DIR holds four tab-separated tables, each with a header line
# "N <engine> <engine> ..." and one row per archive size ('?' where an engine
# has no figure):
#   query-p50.dat   in-process query p50, ms
#   http-rps.dat    HTTP requests/s under wrk
#   index-time.dat  full index build, s
#   index-size.dat  index bytes per Markdown byte

if (!exists("datadir")) datadir = "."
if (!exists("outfile")) outfile = "scaling.png"
if (!exists("xmin")) xmin = 500
if (!exists("xmax")) xmax = 200000

set terminal pngcairo size 1400,1000 font "DejaVu Sans,10" noenhanced
set output outfile
set datafile separator "\t"
set datafile missing "?"
set key outside right top vertical spacing 1.1 samplen 2 box opaque
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set logscale x 10
set xrange [xmin:xmax]
set format x "%.0s%c"
set xlabel "posts"
set style data linespoints
set pointsize 1.2

# One colour per engine in every panel. bench/report passes, for each panel, the
# line type of each column as a word list (lt_query, lt_http, lt_index); without
# them the columns take line types 2, 3, 4, ... in order.
#   1 loomsearch (full build / JSON)  2 loomsearch text  3 xapian-peer
#   4 xapian-peer --no-snippet        5 fts5-peer        6 xapian-peer --shards 2
#   7 omindex / Omega                 8 Groonga          9 mini-server
#  10 xapian-peer --flush 1000
set linetype 1 lc rgb "#c0392b" lw 2.5 pt 7
set linetype 2 lc rgb "#e67e22" lw 2.5 pt 5
set linetype 3 lc rgb "#2980b9" lw 1.5 pt 9
set linetype 4 lc rgb "#5dade2" lw 1.5 pt 11
set linetype 5 lc rgb "#8e44ad" lw 1.5 pt 13
set linetype 6 lc rgb "#16a085" lw 1.5 pt 4
set linetype 7 lc rgb "#2c3e50" lw 1.5 pt 6
set linetype 8 lc rgb "#27ae60" lw 1.5 pt 8
set linetype 9 lc rgb "#7f8c8d" lw 1.5 pt 12
set linetype 10 lc rgb "#1a5276" lw 1.5 pt 10
if (!exists("lt_query")) lt_query = ""
if (!exists("lt_http")) lt_http = ""
if (!exists("lt_index")) lt_index = ""
lt(list, i) = (words(list) >= i - 1) ? word(list, i - 1) + 0 : i - 1

set multiplot layout 2,2 title "loomsearch benchmark: scaling with archive size" font ",13"

set title "In-process query p50 (ms, lower is better)"
set logscale y 10
set ylabel "ms"
plot for [i=2:*] datadir."/query-p50.dat" using 1:i lt lt(lt_query, i) title columnheader(i)

set title "HTTP requests/s under wrk (higher is better)"
unset logscale y
set yrange [0:*]
set ylabel "requests/s"
plot for [i=2:*] datadir."/http-rps.dat" using 1:i lt lt(lt_http, i) title columnheader(i)

set title "Full index build (s, lower is better)"
set autoscale y
set logscale y 10
set ylabel "seconds"
plot for [i=2:*] datadir."/index-time.dat" using 1:i lt lt(lt_index, i) title columnheader(i)

set title "Index size / Markdown size (du -sb; lower is better)"
set ylabel "bytes per Markdown byte"
plot for [i=2:*] datadir."/index-size.dat" using 1:i lt lt(lt_index, i) title columnheader(i)

unset multiplot
