# Gen workload runner chart: each peer's speed and peak RSS relative to Gen (Gen = 1), one cluster per workload.
# Called by the runner: gnuplot -e "speedfile='speed.dat'; rssfile='rss.dat'; outfile='chart.png'" chart.gp
set terminal pngcairo size 1400,900 font "sans,10" noenhanced
set output outfile
set multiplot layout 2,1
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 2
set grid ytics
set key outside right top
set xtics rotate by -25 nomirror
set datafile missing "NaN"

set title "Speed relative to Gen (higher: the peer is faster; Gen = 1)"
set ylabel "peer speed / Gen speed"
plot for [i=2:*] speedfile using i:xtic(1) title columnheader(i)

set title "Peak RSS relative to Gen (higher: the peer uses more memory; Gen = 1)"
set ylabel "peer peak RSS / Gen peak RSS"
plot for [i=2:*] rssfile using i:xtic(1) title columnheader(i)
unset multiplot
