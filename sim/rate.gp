# SPDX-License-Identifier: GPL-2.0
# BM-SC request arrivals per second around the MSK change, one panel per
# policy x jitter combination.  Usage: gnuplot -e "dir='OUT'" sim/rate.gp
if (!exists("dir")) dir = "sim/results/default"
load dir."/params.gp"
set terminal pngcairo size 1400,900 font ",11"
set output dir."/rate.png"
set datafile separator ","
set multiplot layout 2,2 title sprintf("BM-SC MSK requests per second (%d UEs, seed %d; capacity %g/s dashed, new MSK in use at %g s dotted)", ues, seed, capacity, lead)
set xrange [-5:300]
set xlabel "seconds after the MSK change"
set ylabel "requests/s"
set grid
set offsets 0, 0, graph 0.08, 0
set key top right
cols = "2 4 3 5"
do for [i=1:4] {
	c = word(cols, i) + 0
	set title (i == 1 ? "relaxed, jitter off" : i == 2 ? "strict, jitter off" : i == 3 ? sprintf("relaxed, jitter %g s", jitter) : sprintf("strict, jitter %g s", jitter))
	set arrow 1 from lead, graph 0 to lead, graph 1 nohead dt 3 lc rgb "gray40"
	plot dir."/rate.csv" using 1:c every ::1 with steps lw 1.5 lc rgb (i % 2 ? "#1f77b4" : "#d62728") title "requests/s", \
	     capacity with lines dt 2 lc rgb "black" title "capacity"
}
unset multiplot
