"""How many of a corpus's papers use each word: the rarity table of the lexical signals (`lexical.py`).

Computed once, by `python bench/relevance.py --corpus`, from the titles and abstracts of the 219
papers of three real Daily Papers digests (words as `lexical.words` gives them: lower case, stop-words
dropped, lightly stemmed). It stands in for a larger corpus of research papers; a word it does
not hold counts as rarer than any it holds.
"""

DOCUMENTS = 219
AVERAGE_LENGTH = 158.31
FREQUENCY = """
0 20 000 6 00025 1 0015 1 002 1 03 1 048 1 05 2 07 3 0shot 1 1 69 10 20 100 9 1000 2 1000x 1 100b 2 1024 1 109m 1
10b 1 10x 2 11 5 1106 1 117 1 118 1 11b 2 12 8 120 1 124m 1 128k 1 13 5 132 1 13b 6 14 6 143 1 14b 1 15 3 152 1 15b 3
16 4 16b 3 17 3 170 1 175 1 175b 4 17b 1 18 1 187 1 194b 1 1993 1 1b 5 1d 1 1k 4 1m 2 1st 1 1t 1 2 75 20 8 200 3
2017 2 2020 1 2022 4 2023 3 204 1 20i 1 21 2 216k 1 22 3 220m 1 23 3 2407 1 24g 1 24gb 1 25 7 250 1 256 1 25b 1 26 4
2600 1 27b 2 28 4 288 1 29 1 2b 1 2d 5 2k 1 2m 2 2nd 1 2x 2 3 51 30 11 300 1 300b 2 3072 1 30b 1 31 1 32 3 32b 1 32k 2
33 2 33b 3 33m 1 34 2 34b 1 34x 1 35 2 36 5 360cvgroup 1 37 3 38 1 380 1 38k 1 3b 5 3d 8 3e21 1 3g 1 3rd 1 3t 1 3x 1
4 42 40 6 400 3 400k 1 400m 1 405b 3 4096 1 40k 1 40x 1 41 2 42 2 425 1 43 2 43k 1 44 2 442 1 444 1 45 2 46 1 47 1
49 2 4b 4 4g 1 4k 1 4m 1 4o 5 4t 1 4tim 1 4v 5 4x 2 5 34 50 3 500b 1 500k 1 508 1 50k 1 512 2 52 1 53 1 530 1 530b 1
536 1 536times1 1 54 3 540 1 540b 2 55 1 56 1 58 1 59k 1 5b 1 5g 1 5i 1 5m 1 5t 1 5x 4 6 18 60 3 60m 1 61 1 6144 1
619 1 62 1 63 1 64 2 64b 1 65 4 66 1 66b 1 67 3 685 1 69 3 697 1 6b 1 6k 1 6m 1 6x 3 7 17 70 4 700m 1 702 1 70b 5 71 1
710 1 72 3 72b 3 732 1 74 1 75 2 750b 1 751 1 76 2 762m 1 77 2 774 1 78 1 79 1 7b 22 7t 1 7tim 1 8 20 80 3 800 2
800k 1 80g 1 81 2 82 1 84 4 843m 1 84b 1 85 2 87 1 89 3 8b 11 8g 1 8k 1 8m 1 8tim 1 8x 3 8x7b 1 9 7 90 2 91 1 92 1
93 2 95 1 96 1 98 1 983 1 99 1 9b 3 9x 1 a100 2 abbrevi 1 ability 54 abilliyb 1 abl 15 ablat 2 ablativ 1 absenc 2
absent 1 absolut 2 abstraction 2 abstractor 1 abundant 1 abx 1 academia 4 academic 4 academy 1 acceler 3 accelerat 3
accept 1 acceptabl 2 acces 11 access 1 accessibility 3 accessibl 7 accompany 1 accomplish 1 accomplishment 1 accord 4
accordanc 1 account 5 accru 1 accumul 1 accumulat 3 accuracy 40 accurat 13 accurately 7 achiev 108 achievabl 2
achievement 1 acknowledg 1 acoustic 1 acquir 6 acquisition 1 acs 1 act 5 action 4 activ 10 activat 3 actively 2
actual 1 acut 1 ad 2 adapt 35 adaptability 3 adaptabl 1 adapter 14 adaptformer 1 adaption 2 adaptiv 6 adaptively 1
adaptivity 1 adaptor 2 add 7 addition 17 additional 14 additionally 29 additiv 1 addres 43 address 11 ade20k 2 adept 2
adequat 1 adher 1 adherenc 1 adjust 4 adjustabl 1 adjustment 1 admet 1 adopt 16 adoptabl 1 adoption 4 ads 1 advanc 22
advancement 11 advantag 10 advantageou 1 advent 1 adversarial 1 advic 1 aerosol 1 aesthetically 1 affect 7 affin 1
afford 1 affordabl 3 aforemention 2 against 10 age 1 agent 10 agentwrit 1 aggreg 1 aggregat 5 agieval 2 agility 1
agnostic 6 agre 1 agreement 2 ahead 1 ai 31 aid 1 aigc 1 aim 23 aimagelab 1 airborn 1 ais 1 aiw 1 aka 2 akin 1 al 4
alayrac 1 albeit 2 algorithm 23 algorithmic 4 alibaba 2 alic 1 align 24 aligner 1 alignment 15 alleg 1 allevi 1
alleviat 6 alloc 1 allocat 1 allow 32 almost 3 alon 8 along 9 alongsid 4 alpacaeval 1 already 6 alter 3 altern 1
alternativ 15 although 10 alway 3 amaz 1 amazon 1 amber 2 ambiguou 1 ambitiou 1 ameliorat 1 american 3 amongst 1
amortiz 1 amount 15 amplify 4 analogou 1 analys 6 analysi 41 analytic 2 analytically 1 analyz 15 anchor 2 anneal 1
annot 2 annotat 7 annotator 1 annual 1 anomaly 2 another 6 answer 27 anticipat 2 any2point 1 anywher 1 ap 1 api 1
apparent 1 appear 5 applic 55 applicability 5 applicabl 4 apply 23 approach 89 appropriat 1 appropriately 1 approxim 1
approximat 7 approximately 4 apt 1 aquilamo 1 ar 1 arabic 1 arbitrarily 1 arbitrary 5 arc 1 arcana 1 architectur 49
architectural 5 archiv 1 area 10 aren 1 arena 2 argu 6 arguably 1 argument 2 aris 6 arithmetic 2 arm 1 array 6 arriv 1
art 64 artgpt 1 articl 2 articulat 1 artifact 1 artificial 10 artist 1 artistic 2 as 166 ascertain 1 ask 3 aspect 11
asr 3 assembl 3 assembly 1 asses 7 assess 8 assessment 10 assign 2 assignment 1 assimilat 1 assist 1 assistanc 2
assistant 4 associ 1 associat 6 assum 5 assumption 2 astonish 1 astrom 1 astromlab 1 astronomical 3 astronomy 3
astrophysic 1 astrophysical 2 atlantic 1 atmospheric 1 atomic 1 atop 1 atrophy 1 atrou 1 attack 1 attacker 1 attain 7
attempt 15 attend 2 attention 20 attentiv 1 attract 5 attribut 8 attribution 1 audio 7 audit 1 audition 1 auditory 1
augment 16 auroralhl 1 authentic 1 author 1 auto 2 autoconversion 1 autoencoder 1 autofluorescenc 1 autom 1 automat 4
automatic 3 automatically 4 automl 1 autonomou 3 autonomously 5 autoregressiv 5 autoregressively 2 auxiliary 6
availability 3 availabl 64 avenu 3 averag 12 avoid 9 avsr 1 awar 10 awarenes 1 awesom 1 axe 3 axi 1 b 6 back 4
backbon 10 backdoor 1 backfir 1 background 3 backpropag 1 backup 1 backward 1 balanc 11 bandwidth 3 bard 1 bart 1
bas 11 baselin 21 basi 1 basic 6 batch 5 bayescap 1 bayesian 3 bbh 3 bear 1 becaus 8 becom 25 begin 5 beginn 3
beginner 1 begun 1 behav 1 behavior 18 behavioral 2 behind 5 being 1 beit 1 belief 1 believ 12 bellman 1 belong 1
bench 9 benchmark 67 beneficial 3 benefit 19 beqaa 1 bert 7 bertweet 1 besid 4 best 15 better 42 beyond 18 bfloat16 1
bfshi 1 bia 7 bias 4 bidirectional 2 big 10 bigbench 1 bigbird 1 bigcod 1 bigfit 1 bigger 1 bigna 1 bignasmodel 1
bigram 1 bilingual 6 billion 26 bimodal 1 bin 1 binary 2 bind 1 biological 2 biology 3 biomedical 2 biomedically 1
biomedicin 1 bit 4 bitwidth 1 black 3 blend 1 bleu 1 blip 1 block 11 blog 1 blood 1 bloom 1 board 2 body 1 bolster 2
bon 1 boolq 1 boost 6 bootstrapp 2 boshna 1 bossna 1 bossnet 1 bottleneck 4 bound 4 boundary 2 box 3 brain 2 branch 3
breadcrumb 1 breadth 1 break 6 breakdown 1 breakthrough 5 bridg 13 brief 2 briefly 2 bring 6 brittl 1 broad 7
broader 6 broadly 1 brought 2 bstacl 1 budget 3 built 3 burden 2 bureau 1 burgeon 2 butterfly 1 bypass 1 byproduct 1
bytedanc 1 c 3 cabag 1 caipeex 1 calcul 4 calculat 3 calibr 3 calibrat 2 call 16 camera 1 campaign 1 canada 1
candidat 3 cannot 5 canonical 2 cap 1 capability 76 capabl 14 capacity 19 capital 1 capp 1 capret 1 caption 9
captur 12 cardiac 1 careful 2 carefully 5 carry 1 cartesian 1 carv 1 cas 17 catastrophic 9 categoriz 7 category 7
cater 1 caus 15 causal 2 caution 2 cav 1 cc3m 1 celebrat 1 cell 3 cement 1 censor 1 censu 1 center 5 central 1
centric 1 cerebral 1 certain 5 certainly 1 certific 1 cf 2 cfr 1 chain 6 challeng 75 chang 13 changlin31 1 channel 2
character 5 characteristic 4 characteriz 5 chat 3 chatglm 1 chatgpt 10 chaudatascienc 1 cheaply 1 cheatsheet 1 check 1
checkpoint 4 chemistry 2 cherish 1 chexprompt 1 child 1 childhood 1 chinchilla 1 chines 1 chip 3 choic 13 choos 3
chos 1 chosen 3 chowdhery 1 chunk 1 cider 1 cifar 5 cifar100 1 circuit 1 circul 1 circumvent 2 cl 2 claim 7 clarity 1
clas 8 class 6 classic 1 classical 2 classific 23 classifier 3 classify 1 claud 4 clean 1 clear 5 clearly 3 client 3
climat 3 clinic 1 clinical 10 clinicalbert 1 clinically 2 clinician 2 clip 10 clon 1 clos 10 closely 1 closer 2
cloud 6 clu 2 cluster 1 cm 1 cmmlu 1 cn 1 cnn 5 co 6 coars 2 coco 4 cod 73 codegen2 1 codellama 1 coder 2 codet5 1
codex 2 coefficient 4 coep 1 cofitun 1 cognitiv 1 cognizabl 1 coherenc 1 coherency 1 coherent 2 cohesion 1
cohesivenes 1 cohort 2 coin 1 collabor 6 collaborat 1 collaborativ 1 collaboratively 1 collaps 3 collect 10
collection 8 collectiv 1 collectively 2 color 1 column 1 columnar 1 com 57 combin 19 combinatorial 1 comet 1
commendabl 1 commensurat 1 comment 1 commercial 6 common 14 commonly 8 commonplac 1 commonsens 1 communic 6
communicat 1 community 22 compact 5 compactnes 1 company 1 compar 56 comparabl 19 comparably 2 comparativ 2
comparison 9 compatibility 3 compatibl 3 compell 1 compens 1 compensat 2 compet 2 competency 2 competitiv 14
competitively 4 competitivenes 1 competitor 1 complement 2 complementary 6 complet 5 completely 3 completion 2
complex 19 complexity 13 compliant 1 complicat 1 component 18 composition 1 compositional 1 comprehend 4
comprehensibility 1 comprehension 5 comprehensiv 44 comprehensively 5 compres 3 compress 3 compression 7 compris 11
compromis 5 comput 35 computational 37 computationally 7 computer 14 concatenat 1 conceiv 1 concentr 2 concentrat 4
concept 13 conception 1 conceptual 1 conceptually 1 concern 7 concis 1 conclud 3 conclusion 5 concret 2 concretely 2
condens 1 condition 11 conditional 2 conduciv 2 conduct 30 confabul 1 confidenc 3 configur 5 configurabl 1 confirm 5
conflict 2 conform 2 confront 1 conjunction 1 connect 3 connection 1 conquer 1 consecutiv 1 consequenc 2
consequently 7 conserv 1 consider 17 considerabl 2 consist 13 consistency 2 consistent 8 consistently 17 consolidat 2
conspiracy 1 constant 2 constantly 2 constituent 2 constitut 2 constrain 9 constraint 8 construct 9 construction 6
consum 4 consumer 2 consumption 5 contain 9 contemplat 1 contend 1 content 14 contest 1 context 27 contextual 2
contextually 1 continent 1 continu 8 continual 7 continually 1 continuity 1 continuou 7 continuously 1 contrary 1
contrast 4 contrastiv 7 contribut 12 contribution 9 contributor 1 control 7 controll 7 controllabl 2 controlllm 1
convenient 1 conventional 10 conventionally 1 converg 5 convergenc 4 convers 4 conversational 5 convert 1 convinc 1
convolution 1 convolutional 2 cook 1 coordinat 1 copy 1 cor 7 corda 1 coreset 1 cornerston 1 corpora 9 corpu 5
correct 7 correction 1 correctly 1 correctnes 2 correl 10 correlat 3 correspond 6 correspondenc 4 corruption 1
cortex 1 cosin 2 cosmo 1 cost 34 costly 4 cot 5 could 14 count 2 counterfactual 1 countermeasur 1 counterpart 5
country 1 coupl 2 cov 1 covarianc 1 cover 11 coverag 4 cpt 2 cpu 2 craft 4 crawl 2 cre 4 creat 15 creativ 2
creativity 3 credential 1 criteria 2 criterion 1 critical 21 critically 2 criticism 1 crop 1 cros 17 crossover 1 crs 1
crucial 17 crucially 3 cs 2 csft 1 css 1 ct 1 cumbersom 1 cumulativ 1 cur 1 curat 9 current 30 currently 4
curriculum 2 curs 1 curv 4 custom 3 customiz 5 customizabl 2 cut 1 cutt 3 cv 1 cxr 1 cycl 2 czech 1 d 3 dall 2 damo 1
dar 1 dart 1 dashboard 1 dat 2 data 120 databas 2 dataset 81 daunt 1 davinci 1 day 3 de 7 deal 1 debat 1 deblurr 1
debugg 1 decad 1 decay 2 december 1 decent 1 decentraliz 2 decid 2 decipher 1 decision 8 declin 2 decod 3 decoder 7
decompos 3 decomposition 5 decoupl 3 decreas 11 dedicat 4 deem 1 deep 22 deepen 2 deeper 5 deeply 1 deepseekcoder 1
deepspe 3 deepstack 1 defect 1 defens 1 deficiency 1 deficit 1 defin 6 definitely 1 definition 3 deform 1 degenerat 1
degrad 11 degre 2 dehghani 1 deit 1 delineat 2 deliver 4 delta 2 delv 7 demand 11 demo 1 democratic 1 democratiz 1
demonstr 4 demonstrat 91 denois 2 denot 1 dens 11 densely 1 density 1 depart 1 depend 5 dependenc 3 dependency 5
dependent 2 depict 1 deplet 1 deploy 15 deployabl 1 deployment 22 deprecat 1 depth 13 depthwis 1 deriv 13 derivativ 1
descent 4 describ 10 description 8 deserv 1 design 51 designer 1 desir 4 desirabl 2 despit 26 detail 17 detect 4
detectabl 1 detection 7 determin 4 determinant 1 develop 30 developer 4 development 37 developmental 1 devi 1 devic 8
devis 1 dgx 1 diabet 1 diag 1 diagnos 1 diagnosi 2 diagnostic 4 diagonal 2 dialogu 4 dictat 2 didemo 1 diff 1 differ 1
differenc 5 different 51 differentiabl 1 differential 1 difficult 14 difficulty 6 diffusion 9 diffusional 1 digital 3
dilemma 1 dimension 12 dimensional 7 dimensionality 1 diminish 2 diminution 2 dino 1 dinobloom 1 dinov2 2 direct 11
direction 10 directly 11 disadvantag 1 disambigu 1 disassembly 1 discard 1 discern 1 disciplin 1 disclos 2
discontinuou 2 discours 1 discover 6 discovery 4 discrepancy 2 discret 2 discriminat 1 discriminativ 2 discus 14
discuss 4 discussion 4 diseas 1 disentangl 4 disinform 1 disparat 2 dispersion 1 display 3 disruptiv 1
dissatisfaction 1 dist 1 distanc 1 distill 6 distinct 7 distinction 1 distinguish 5 distinguishabl 1 distractor 1
distribut 5 distribution 16 dit 1 diverg 1 divergenc 2 divers 43 diversify 1 diversion 1 diversity 8 divid 2 dl 1
dllm4rec 1 dlyuangod 1 dm 1 dms 2 dmt 1 dna 1 dns 1 document 10 domain 63 dominant 2 dominat 1 don 4 donod 1 door 1
doubl 4 download 1 downsampl 1 downstream 43 dozen 3 dpo 4 dq 1 draft 1 drain 1 dramatic 2 dramatically 2
drastically 1 draw 4 drawback 1 drawn 1 dreamer 1 drift 1 driv 5 driven 12 drop 6 droplet 1 drug 1 ds 1 dsnot 1 dss 1
dst 1 dual 2 dubb 1 due 30 duplex 1 dur 2 dvpt 1 dwarf 1 dynamic 15 dynamical 1 dynamically 2 e 42 e2e 1 earlier 2
early 5 earth 1 easier 3 easily 5 easy 5 economic 1 ecosystem 1 edg 4 edit 2 editor 1 edp 1 edu 1 educ 2 educational 1
ef 1 effect 19 effectiv 35 effectively 31 effectivenes 29 efficacy 8 efficiency 38 efficient 65 efficiently 18
efficientnet 3 efficientscal 1 efficientvmamba 1 effort 14 eft 1 eight 2 ejection 1 elastic 1 electronic 1 elegant 1
element 3 elevat 3 elicit 1 elimin 1 eliminat 6 elm 1 elucidat 1 elusiv 1 em 2 embark 1 embedd 18 embody 1 embrac 1
emerg 24 emergenc 2 emergent 10 emoji 1 emotional 1 emphasi 3 emphasiz 9 empirical 24 empirically 14 employ 25
empower 5 emulat 1 emulator 1 en 2 enabl 54 encapsulat 1 encod 7 encoder 19 encompass 5 encounter 3 encourag 1 end 21
endeavor 1 endow 2 energy 4 enforc 1 engag 1 engagement 1 engin 1 engineer 9 england 1 english 7 enhanc 57
enhancement 2 enlarg 2 enormou 4 enrich 4 ensembl 6 ensur 14 entir 5 entirely 1 entity 4 entropy 1 environment 10
environmental 2 enzym 1 eot 1 epoch 1 equ 3 equal 2 equally 3 equip 5 equiperformant 1 equipp 3 equitabl 1
equivalent 6 er 1 era 9 era5 1 eras 1 erasur 1 erdo 1 erk 1 erod 2 erosion 1 error 10 escalat 2 escap 1 essenc 2
essential 9 essentially 2 establish 23 estim 8 estimat 7 estimator 1 et 5 ethical 6 eulerian 1 eval 1 evalu 54
evaluat 44 evaluativ 1 evaluator 1 evaporat 1 event 3 everyday 1 everywher 1 evidenc 5 evident 2 evolution 9
evolutionary 4 evolv 7 exact 1 exactly 1 exaflop 1 exam 1 examin 16 exampl 26 exascal 1 exce 2 exceed 3 excel 7
excell 4 excellent 6 exceptional 3 excessiv 1 excessively 1 excit 1 exclud 1 exclusively 1 execut 2 execution 2
exemplary 1 exemplify 5 exhaustiv 1 exhibit 32 exist 68 existenc 2 exoplanet 1 expand 8 expansion 3 expect 7 expedit 1
expens 1 expensiv 10 experienc 12 experiment 68 experimental 10 expert 15 expertis 4 expertly 1 explain 7 explainabl 1
explainableml 1 explan 8 explicit 2 explicitly 6 exploit 6 explor 53 exponent 2 exponential 2 exponentially 3 expos 2
exposur 3 expres 1 expression 5 exquisitenetv2 1 extend 14 extension 3 extensiv 45 extensively 6 extent 4 external 6
extra 4 extract 16 extraction 9 extraordinary 5 extrapolat 2 extrem 3 extremely 6 f 1 f1 3 fabric 1 fac 16 facet 1
facilitat 22 fact 4 facto 5 factor 16 factoriz 3 factual 1 factuality 2 fail 5 failur 5 fair 1 falcon 3 fall 2 fals 2
falter 1 family 23 famou 1 fancy 1 fantastic 1 fantasy 1 far 6 fashion 3 fast 10 faster 7 fastertransformer 1
fastest 1 fault 1 favor 1 favorabl 1 favorably 1 fbnetv3 1 fbnetv5 1 feasibility 3 feasibl 1 featur 23 fed 1 federat 1
feed 3 feedback 8 fellow 1 few2many 1 fewer 9 fewest 1 ffn 1 fft 1 fgvc 1 fid 1 field 27 fifth 1 figur 3 fill 1
filter 8 fin 70 final 10 finally 30 financ 2 find 28 finegrain 1 finetun 17 finit 1 first 54 firstly 6 fisher 1 fit 7
fitt 4 fiv 7 fix 8 fl 1 flagship 1 flair 1 flam 1 flamingo 2 flash 1 flat 3 flatten 1 flaw 1 flexibert 1 flexibility 6
flexibl 5 flexibly 3 flickr30k 1 flip 1 flop 7 flow 2 fluctuat 1 fly 2 fm 1 fmnist 1 focal 1 focu 30 focus 22 fold 2
follow 36 food 2 footprint 2 forecast 4 forefront 1 foreign 1 forgett 8 form 6 formaliz 3 formally 1 format 4 former 4
formidabl 1 formul 2 formula 1 formulat 4 forum 1 forward 7 foster 4 found 39 foundational 11 four 11 fourth 1
foveat 1 fp4 1 fraction 5 fragment 1 fram 1 framework 54 fre 10 freely 1 freez 6 frequent 1 frequently 2 fresh 1
friendly 1 frontier 5 frozen 48 frozenrecon 1 fss 1 ft 1 full 21 fully 7 function 11 functional 1 functionality 4
fundamental 13 fundamentally 2 fundu 1 furthermor 20 fus 4 fusechat 1 fusion 5 fusioner 1 futur 28 g 34 ga 1 gaea 1
gai 1 gaia 1 gain 19 gam 2 gan 1 gap 27 garner 1 gat 4 gatedmlp 1 gatortron 1 gatortrongpt 1 gaug 1 gaussian 1 gb 2
ge 2 gemini 3 gemma 5 gemma2 1 gemmar 1 gen 1 genai 1 gener 44 general 38 generalis 1 generalist 3 generality 1
generaliz 32 generalizability 1 generalizabl 2 generally 4 generat 41 generativ 17 generator 3 generic 2 genesi 1
genetic 2 genom 1 geographic 2 geographical 1 geoloc 1 geolocaliz 1 geometric 4 geometry 2 german 1 ghost 1 giant 1
git 1 github 55 giv 3 given 17 glioblastoma 1 gliodil 1 glioma 1 gllm 1 gllm4rec 1 global 6 globally 1 glu 2 gmat 1
go 1 goal 6 goe 1 good 8 googl 4 got 1 govern 1 gps 1 gpt 37 gpt3 1 gpt4 2 gpu 14 grad 4 gradient 7 gradual 1
gradually 5 graduat 1 grain 3 grammatical 1 granularity 2 graph 3 graphic 1 grasp 2 gre 1 great 5 greater 5 greatly 7
grid 1 ground 10 groundbreak 1 grow 16 growclip 1 grown 3 growth 28 gsm 1 gsm8k 1 guarantee 1 guardrail 1 guid 16
guidanc 5 guidelin 3 gumbel 1 gunale0926 1 gzsl 1 h 1 haiyang 1 half 1 hallucin 4 hallucinat 1 hamper 4 hand 8
handful 2 handl 11 handmad 1 handwritten 2 happen 4 hard 12 hardedit 1 harder 6 hardly 1 hardwar 9 harm 3 harmful 1
harmlessnes 1 harnes 5 harness 3 hat 1 hav 2 hcot 1 head 3 health 3 healthcar 5 heavily 2 heavy 1 heighten 1 held 2
help 16 helpful 2 helpfulnes 1 hematology 1 henc 7 heritag 1 heterogeneity 2 heterogeneou 6 heuristic 1 hft 1 hidden 8
hierarchical 2 high 55 higher 11 highest 1 highlight 18 highly 13 hinder 7 hippo 1 historical 2 history 4 hit 1 hllm 1
hmm 1 hoc 4 hold 7 holistic 1 homogeneou 2 homogeniz 1 hop 8 hopefully 1 horizon 1 host 3 hour 2 hous 1 however 90
howto100m 1 html 1 http 59 hub 1 hug 4 huggingfac 6 human 38 humaneval 1 humid 1 humorou 1 hundr 1 hundred 6 hunger 1
hurdl 2 hurt 1 hybrid 3 hypercrl 1 hypercuboid 1 hypernetwork 1 hyperparameter 10 hyperparametric 1 hypertension 1
hypothesi 6 hypothesiz 2 hytra 1 iaa 1 ic 1 icl 2 id 1 idea 4 ideal 3 idealiz 1 identical 1 identific 4 identifier 1
identify 31 identity 1 ig 1 ignor 4 ii 14 iig 1 iii 11 illusion 1 illustrat 4 illustrativ 1 ima 1 imag 56
imageleftrightarrowtext 1 imagenet 17 imagery 1 imagin 2 imbalanc 2 imit 4 imitat 2 immens 2 impact 30 impactful 1
imped 2 impend 1 imperativ 2 imperfect 1 implement 14 implic 6 implicit 1 implicitly 2 imply 2 importanc 12
important 21 importantly 5 impos 2 impossibl 2 impractical 3 impractically 1 impressiv 15 improv 70 improvement 39
inability 1 inaccurat 2 inadequat 1 inappropriat 1 incentiviz 1 includ 64 inclusion 1 inclusiv 1 incom 1 incomplet 3
incompletion 1 inconsistency 5 inconsistent 1 incorporat 16 incorrect 3 incorrectly 1 increas 47 increasingly 16
increment 1 incremental 1 incrementally 1 incub 1 incurr 1 inde 1 independent 3 independently 4 index 1 indian 1
indicat 14 indicator 1 indifferenc 1 indispensabl 1 indistinguishabl 1 individual 10 individualiz 1 individually 2
induc 4 industrial 1 industry 5 ineffectiv 2 inefficiency 3 inefficient 2 inequity 1 inevitabl 1 inevitably 1
infancy 1 infeasibl 1 infer 2 inferenc 30 inferior 4 infill 1 infiltrat 1 infinit 1 infinity 1 inflexibility 1
influenc 6 influential 1 inform 38 informativ 3 infrar 1 infrastructur 3 ing 1 ingredient 1 inhabit 1 inherent 6
inherently 4 inherit 4 initial 11 initializ 10 initially 1 initiat 1 initiativ 2 inject 4 injection 2 inner 2 innov 7
innovativ 7 inpaint 1 input 25 inquiry 1 insert 4 insid 1 insight 19 insightful 1 insignificant 1 insofar 1 inspir 19
instability 3 instagram 1 instanc 14 instantaneou 1 instantaneously 1 instantly 1 instar 1 instatun 1 instead 7
institution 2 instruct 4 instructgpt 1 instruction 35 instructor 1 instrument 1 instrumental 1 insufficient 4 int8 2
intact 2 integr 8 integrat 23 intellectual 1 intelligenc 15 intelligent 4 intend 1 intensity 2 intensiv 8 intent 1
inter 1 interact 2 interaction 14 interactiv 2 interactively 1 interdisciplinary 1 interest 5 interestingly 1
interfac 3 interferenc 1 interleav 4 intermediat 5 internal 5 international 1 internet 2 internvl 1 interplay 3
interpol 2 interpolat 2 interpret 4 interpretability 1 interpretabl 2 intertwin 1 interval 1 intervention 4
intricacy 1 intricat 2 intrigu 2 intriguingly 1 intrinsic 5 introduc 71 introduction 4 intuition 1 intuitively 1
invariant 2 invasiv 1 invers 5 inversescal 1 invert 2 investig 9 investigat 31 invisibl 1 invoc 1 involv 19 io 5 ir 1
irregular 1 irregularly 1 irrelevant 1 ism 1 isn 1 isoflop 1 isol 2 isolat 3 issu 29 italian 1 item 3 iter 3
iterativ 3 iteratively 1 itself 3 iu 1 iupac 1 iv 5 ivan 1 ja 1 jailbreak 1 jama 1 japanes 1 jd 1 jeopardy 1
jieshibo 1 jindongli 1 jinhualiang 1 job 2 joint 4 jointly 6 journal 2 judiciou 1 justific 1 justify 1 k 2 kaggl 1
kappa 1 keep 5 kept 3 kernel 3 key 29 kinetic 2 kl 1 kmsq 1 knowledg 44 known 7 kolmogorov 1 l 4 label 9 labell 2
labor 1 lack 26 ladder 1 lag 2 lagrangian 1 laion 1 landscap 6 languag 162 lapm 1 larg 179 largely 10 larger 31
largest 13 last 3 lastly 4 lat 1 latency 7 latent 4 later 1 latest 5 latter 5 launch 1 law 21 lay 2 layer 26 ldp 1
ldu 1 le 1 lead 36 leader 1 leaplabthu 1 learn 105 learnabl 4 learner 8 learngen 1 learnt 1 least 5 leav 2 lebanes 1
lebanon 1 led 2 leep 1 legal 3 len 2 length 7 lengthy 1 ler 1 lesson 1 letter 1 leukemia 1 level 21 leverag 50 lfm 1
library 4 libratu 1 licens 3 lie 2 lif 1 lifelong 3 lift 1 light 13 lighten 1 lightly 1 lightweight 13 likelihood 3
likely 3 limit 63 lin 5 linear 15 linearly 1 linguistic 9 link 4 linkedin 1 lip 1 list 1 literatur 9 littl 2 liu 1
liv 2 llama 31 llama2 6 llama3 5 llamantino 1 llava 8 llm 112 llm4rec 1 llmamol 1 lm 6 lm4visualencod 1
lmforimagegener 1 lmm 4 lmmlzn 1 lms 4 load 2 loc 2 local 8 localiz 1 locally 2 locomotion 1 log 4 logarithmically 1
logical 2 logit 2 loldu 1 long 16 longbench 1 longer 5 longformer 1 longstand 1 longwriter 1 look 3 loop 3 lora 15
los 21 loss 1 lossles 2 low 25 lower 11 lowest 1 lrs 1 lrs3 1 lsat 1 lsmdc 1 ltian678 1 ltm 1 lunch 1 luoyuanlab 1
lyumengyao 1 m 4 mac 1 machin 15 magnify 1 magnitud 4 main 10 mainstream 2 maintain 20 maintenanc 1 major 8
malignancy 1 mam 1 mamba 2 mamo 2 manag 2 manifest 1 manifold 1 manipul 2 manner 7 manual 1 manually 3 map 6 mapp 4
margin 5 marginal 3 marginaliz 1 mark 5 markov 1 marrlab 1 marrow 1 marry 1 marshall 1 mas 2 mask 6 maskllm 1
massiv 15 match 18 material 5 math 12 mathematic 2 mathematical 13 mathematically 1 matric 4 matrix 7 matter 1 matur 1
max 2 maximiz 2 maximum 3 may 19 mbconv 1 mbpp 1 mbrl 2 mean 6 meaningful 2 meantim 2 meanwhil 5 measur 7
measurement 6 mechanism 15 mechanistic 1 mechanistically 2 med 1 media 2 medical 9 medicin 1 medium 3 meet 4
megascal 1 megatron 4 membran 1 memoriz 4 memory 19 mend 1 mental 1 mention 2 mer 4 merely 5 merg 8 merit 1 messag 1
met 1 meta 7 metadata 1 metamer 1 metamerism 1 method 88 methodological 1 methodology 8 meticulously 2 metric 17 mf 1
mflop 1 mfu 1 mi250x 1 microsoft 2 microstructur 1 mid 1 might 6 mileston 2 million 9 mimic 2 mindllm 1 mini 3
minicpm 2 minigpt 3 miniimagenet 1 minima 1 minimal 10 minimaliz 1 minimax 1 minimiz 8 minimum 3 minitron 1 minor 1
minut 1 miou 1 mira 1 mirag 1 mirror 1 misalignment 2 misclassific 1 misinform 2 mislead 1 mismatch 1 miss 1 mistak 1
mistral 7 misus 2 mitig 5 mitigat 15 miv 1 mix 3 mixlora 1 mixtral 1 mixtur 9 mixturegrowth 1 ml 3 mlaa 1 mllm 11
mlp 2 mm 1 mmai 1 mmlu 2 mmsci 1 mnist 2 mobil 1 mobilenetv3 1 moco 1 mod 2 modal 21 modality 23 model 219 modell 1
modelscop 1 modern 4 modest 4 modestly 1 modific 4 modify 3 modul 16 modular 3 modulariz 1 modulat 2 moe 7 molecul 4
molteni 1 momentum 1 monitor 4 monocular 1 monolingual 2 monolithic 1 monsoon 1 month 2 moreover 20 mosaic 1 mosaick 1
motion 1 motiv 2 motivat 7 movement 1 mpc 1 mpg 1 mplug 1 mrc 1 ms 2 mse 1 mshukor 2 msr 1 msvd 1 mt 2 muddier 1
multi 33 multibody 1 multidirectional 1 multidisciplinary 1 multifacet 2 multihop 1 multilingual 9 multimodal 32
multimodality 3 multimodalocr 1 multimodel 2 multipl 40 multiplex 1 multiplic 1 multiply 1 multistag 1 multitask 2
multivariat 1 muparam 1 muscl 1 music 1 must 3 mut 1 mutual 1 myeloid 1 myriad 2 mystery 2 n 4 naiv 3 naively 1 nam 11
namely 9 narrativ 2 narrow 1 nas 9 nat 3 natively 1 natur 17 natural 44 naturally 4 naturelm 1 navigat 1 nc 1 nea 1
near 4 nearest 1 nearly 6 necessarily 2 necessary 7 necessitat 8 necessity 5 need 35 negativ 6 neglect 2 negligibl 4
negoti 1 neighbor 1 nejm 1 nemo 1 nemotron 2 neo 1 net 2 netop 1 network 41 neural 27 neurofovea 1 neuron 1 never 1
nevertheles 7 nevlp 1 newest 1 newly 3 next 10 nf4 1 nl 1 nl4opt 1 nlar 1 nlg 2 nlp 24 nlu 1 nod 2 nodul 1 nois 8
noisy 7 non 19 nonetheles 2 nonlinear 1 nonlinearity 1 norm 3 normaliz 3 north 1 not 2 notabl 10 notably 14 notebook 1
noteworthy 1 noth 1 noticeabl 1 notion 1 novel 44 nowaday 1 ntaylorox 1 nuanc 2 nucleotid 1 null 1 number 34 numeric 1
numerical 3 numerou 3 nurtur 1 nutrition 1 nvidia 2 nvlab 1 nvlm 1 nvm 1 nwp 1 o 3 o1 1 o2 1 o3 1 object 6 objectiv 10
observ 38 observability 1 observabl 1 observational 2 observatory 1 obsoletion 1 obstacl 3 obtain 24 obviat 1
obviously 1 occur 3 occurr 1 ocr 4 oct 1 octcub 1 odd 1 odil 1 ofa 1 off 3 offer 34 official 1 offlin 2 often 36 old 1
olmo 1 omn 1 omni 1 one 6 onevision 1 ongo 3 onlin 6 open 49 openai 5 openbiollm 1 openbmb 1 opencompas 1 openllama 1
openrail 1 openstreetmap 1 oper 5 operat 2 operational 1 operator 3 opinion 1 opportunity 4 opt 3 optical 3 optimal 25
optimally 1 optimis 1 optimiz 36 optimizer 3 option 2 optmath 1 orca 2 order 12 org 1 organ 1 organic 1 organiz 2
orient 5 orientat 1 origin 1 original 19 originat 1 orpo 1 orthogonality 1 orthonormal 1 osborn 1 osm 1 other 3
otherwis 3 our 2 outcom 5 outdat 2 outlier 2 outlin 2 outperform 47 output 17 outsid 2 outstand 1 overall 17
overarch 2 overcom 5 overconfidenc 1 overestim 1 overestimat 1 overfit 2 overfitt 1 overhead 10 overlap 2 overlapp 2
overlook 7 overly 1 overview 7 overwhelm 2 owing 1 owl 1 owleval 1 own 1 p 1 pac 3 packag 1 pag 5 painfully 1 pair 19
palm 4 pangu 1 panoptic 1 pap 1 paper 65 par 2 paradigm 21 parallel 7 parallelism 4 parallelizabl 1 parameter 97
parameteriz 3 parametric 4 parametriz 2 parent 1 pareto 2 parity 2 pars 1 part 9 partial 3 partially 4 participant 1
participat 1 particl 1 particular 17 partition 2 partnership 1 pas 4 pascal 1 pass 1 passiv 1 passuntil 1 past 2
patch 2 path 4 pathway 2 patient 2 pattern 10 paucity 1 paus 1 pav 3 pay 2 pd 1 pde 1 peak 4 peft 9 peopl 1
pepperlll 1 percentag 1 perception 3 perceptual 3 perceptually 1 perfect 1 perform 40 performanc 156 periodically 2
peripheral 2 permeability 1 perpetual 1 perplexity 4 persist 2 persistenc 1 persistent 4 personal 1 personality 1
personaliz 6 perspectiv 13 persuad 1 pertinent 1 perturb 2 pet 1 petaflop 2 petl 1 pfedpg 1 phas 7 phd 1 phenomena 3
phenomenon 7 phi 3 philosophy 1 phon 1 photo 1 photometry 1 physic 3 physical 4 physically 1 physionet 1 pi 1 pictur 2
pim 1 pinpoint 2 pioneer 2 pipelin 10 pissa 2 pivotal 1 pixel 3 pixelrec 1 plac 6 plan 3 plann 5 planner 1 plateau 1
platform 5 plato 1 plausibl 2 play 10 player 1 plddt 1 pleas 1 plentiful 1 plethora 1 plm 4 plu 4 plug 6 plugg 1 pod 1
poem 1 point 11 poison 1 poker 1 pokergpt 1 policy 5 polygon 1 pool 2 poor 2 poorly 1 popul 3 popular 6 popularity 2
portability 1 portabl 1 portion 1 portllm 1 pos 7 posit 2 position 6 positional 1 positiv 3 posses 5 possess 2
possibility 4 possibl 10 post 15 posteriori 1 potential 40 potentiality 1 potentially 9 power 17 powerful 14 ppdpp 1
ppl 1 practic 18 practical 17 practitioner 3 pragmatic 1 pre 79 precipit 1 precis 5 precision 2 preclud 1 precursor 1
predecessor 1 predefin 1 predict 17 predictability 1 predictabl 6 predictably 2 prediction 27 predictiv 3 predictor 2
predominant 2 predominantly 1 preferenc 12 preferr 4 prefix 5 preliminary 1 premier 1 prepar 1 prepend 1 preprocess 2
prescrib 1 presenc 1 present 56 preserv 10 prespecify 1 pressur 1 pretrain 29 prevail 5 prevalenc 1 prevalent 3
prevent 4 preview 1 previou 32 previously 9 pric 2 primarily 12 primary 8 princetonlip 1 principal 2 principl 8
prior 20 prioritiz 3 prisma 1 privacy 7 privat 3 priz 1 pro 1 proactiv 1 proactivity 1 prob 2 probabilistic 2
probability 5 problem 46 problematic 4 procedur 6 procedurally 1 proces 42 process 40 produc 13 product 5 production 5
professional 2 proffer 1 proficiency 3 proficient 1 profound 1 prognostic 1 program 2 programm 5 progres 15
progression 3 progressiv 4 progressively 3 prohibitiv 2 project 10 projection 4 projector 1 prolifer 1 prolong 1
prominent 4 promis 31 promot 4 prompt 37 pron 1 pronounc 3 proof 1 propag 2 proper 2 properly 1 property 16
proportional 1 propos 99 proposal 1 proprietary 11 prospect 1 protect 1 protection 1 protectiv 1 protein 3 protocol 2
prototyp 1 prov 8 proven 1 provid 67 provider 1 prowes 1 proxy 2 proxyles 1 prs 1 prun 12 psychophysical 1 ptm 1 ptq 1
pts 1 public 15 publicly 13 publish 2 pull 1 pur 4 purely 1 purpos 13 pursu 1 push 4 put 1 pythia 1 python 1 q 1 qa 1
qat 1 qladder 1 qllm 1 quadratic 1 qualitativ 4 quality 34 quantify 3 quantis 1 quantitativ 9 quantity 1 quantiz 12
quantllm 1 quasigeostrophic 1 query 12 quest 1 question 36 quickly 1 qwen 3 qwen2 1 qwq 1 r 4 rad 1 radi 1 radio 1
radiologist 1 radiology 2 radiotherapy 1 radiu 1 rag 1 rain 1 rainfall 1 rais 7 random 4 randomiz 1 randomly 1
randomnes 1 rang 37 rank 12 rapid 13 rapidly 9 rar 1 rarely 3 rat 18 rater 2 rather 10 ratio 6 rattlesnakey 1 raw 4
re 9 reach 6 read 2 readily 2 real 24 realistic 6 reality 1 realiz 1 reallocat 1 realm 1 reanalysi 1 reason 42
reasonabl 1 reassembl 1 reassembly 1 reasses 1 recall 4 receipt 1 receiv 1 recent 43 recently 20 receptiv 1 recip 2
recipient 1 reclora 1 recognition 13 recogniz 2 recombin 2 recommend 6 recommender 2 reconsider 1 reconstruction 2
record 4 recover 3 recreat 1 rectify 2 recurrenc 1 recurrent 1 recursion 1 recursiv 1 redefin 1 rediscovery 1 reduc 33
reducibl 1 reduction 9 redundancy 3 redundant 2 refactor 1 refer 4 referenc 6 referr 2 refin 2 refinement 1 refiner 1
reflect 3 reformul 1 reformulat 1 refut 1 regard 12 regim 3 region 6 regional 1 regression 4 regressiv 1 regret 1
regul 1 regular 3 regulariz 5 regularizer 1 regularly 1 regulat 2 reinforcement 9 reject 1 rejection 1 rel 2 relat 16
relationship 13 relativ 6 relatively 5 releas 21 relevant 10 reliability 4 reliabl 7 reliably 2 relianc 2 rely 18
remain 36 remarkabl 30 remarkably 4 remember 1 reminiscent 1 remot 2 remov 1 render 4 renyi 1 repeat 3 repetition 1
replac 4 replay 3 replic 2 replicability 1 replicat 1 report 11 repository 5 represent 40 representational 1
representativ 6 reproduc 5 reproducibility 4 reproducibl 2 reproduction 1 reprogramm 1 repurpos 1 request 1 requir 49
requirement 7 res 1 research 50 researcher 18 researchmm 1 resembl 1 resett 1 reshap 2 residual 4 resilienc 1 resist 1
resistant 2 resnet 1 resolution 8 resolv 1 resourc 45 respect 2 respectiv 3 respectively 11 respond 4 respons 14
responsibl 4 responsiv 1 restor 1 restrict 6 restriction 2 restrictiv 2 result 98 retain 5 retention 2 rethink 2
retinal 1 retrain 8 retriev 5 retrieval 15 retriever 1 retrospectiv 1 retrosynthesi 1 return 1 reus 2 reveal 27
revers 2 review 15 revis 1 revisit 3 revival 1 revolutioniz 4 revolv 1 reward 2 rich 7 richnes 1 right 3 rigid 1
rigorou 3 ris 6 risk 12 rival 1 rl 3 rlhf 1 rms 1 rna 2 rnn 2 road 1 roadmap 1 roberta 3 robot 1 robotic 2 robust 15
robustly 1 robustnes 9 rol 9 root 3 rotary 1 rotational 1 roughly 2 round 3 rout 1 router 1 routin 1 routinely 1 row 1
rs 2 ru 1 rul 2 run 4 runn 3 runtim 1 russian 1 rvl 1 s 58 s4 2 s4d 1 s4wm 1 sacrebleu 1 sacrific 3 sadly 1 saf 1
safeguard 1 safety 5 safewatch 1 said 1 salesforc 1 salient 1 sam 1 sampl 32 sampler 1 sar 1 sat 1 satisfactory 2
satisfy 2 satur 1 saturat 1 sav 4 scal 98 scalability 11 scalabl 10 scan 2 scarcity 5 scen 4 scenario 26 schedul 2
scheduler 2 schem 9 scienc 8 scientific 11 scientist 4 scop 2 scor 14 scrap 1 scratch 14 scrutiny 1 seamles 2
seamlessly 3 search 16 searchabl 1 season 1 second 16 secondary 1 secondly 6 secret 1 security 3 seed 1 seek 8
seeker 1 seem 2 seemingly 2 seen 3 segformer 1 segment 8 select 11 selection 8 selectiv 2 self 17 semantic 18
semantically 1 semblanc 1 semi 1 semipermeabl 1 sens 5 sensical 1 sensitiv 4 sensitivity 2 sentenc 3 sentiment 1
sentinel 1 separat 3 separately 2 sequenc 18 sequential 5 sequentially 1 seriou 1 serv 18 server 3 servic 2 sery 12
session 1 set 33 sett 23 setup 6 seven 2 sever 1 several 25 sfid 1 sft 7 shall 1 shallow 2 shap 8 shapley 1 shar 17
shard 1 sharp 2 sharpdart 1 sharpen 1 sharpnes 1 shaunak27 1 shed 6 shedd 1 shelf 5 shift 8 short 5 shortcom 1
shortcut 1 shorter 1 shot 35 show 18 showcas 12 shown 22 shrink 1 sid 3 siglip 1 siglip2 1 sigma 2 sign 1 signal 5
signatur 1 significant 51 significantly 47 signify 2 similar 24 similarity 6 similarly 3 simmim 1 simpl 19 simplific 1
simplistic 1 simply 2 simul 5 simultaneou 1 simultaneously 9 simvlg 1 sinc 11 singl 26 singular 4 sit 1 situ 1 six 3
siz 76 skddj 1 skill 4 skillset 1 skinny 1 skip 2 slightly 3 slit 1 slm 2 slow 4 slower 1 slowly 3 slr 1 small 41
smaller 29 smallest 3 smart 1 smear 1 smil 1 smm 1 smooth 3 smoothly 1 sn 1 snapshot 1 sobertbas 1 sobertlarg 1 soc 1
socbert 1 social 7 socially 1 societal 1 society 2 sociotechnical 1 soft 5 softly 1 softmax 1 softwar 8 solely 2
solution 25 solv 21 solvabl 1 solver 2 sometim 2 somewhat 1 sonar 1 sonnet 1 sophisticat 1 sorsa 1 sort 1 sota 7
sought 1 sound 2 soup 1 sourc 46 southeast 1 spac 28 span 3 spanglish 1 spanish 1 spann 5 spark 1 spars 9 sparsely 1
sparsific 2 sparsity 8 sparta 1 spatial 4 spatio 1 spe 8 spearman 1 special 6 speciality 1 specializ 16 specially 1
specific 54 specifically 35 specify 2 spectra 1 spectrum 4 speculativ 1 speech 6 speed 2 speedup 6 split 1 spm 1
spmm 1 spoken 1 spot 1 spread 2 spuriou 1 spurr 1 sputnik 1 srivastava 1 ssm 3 sst2 1 stability 5 stabl 5 stack 4
stackoverflow 1 stag 17 stagger 1 stakeholder 1 stand 8 standard 17 standardiz 5 starcoder 1 starcoder2 1
starcoderbas 1 start 7 stat 67 statement 1 stateof 1 static 2 stationary 1 statistic 3 statistical 6 statistically 1
statu 1 stay 1 steadily 1 steeply 1 steepnes 1 stellar 1 stem 3 step 27 stimulat 2 stitch 1 stitchabl 1 stochastic 2
stop 1 stor 5 storag 4 story 1 straggler 1 straightforward 3 strategiz 1 strategy 45 stream 4 streamlin 2 strength 8
strengthen 2 strict 2 strid 5 strik 1 stringently 1 strong 28 stronger 4 strongly 3 structur 20 structural 5
struggl 11 student 1 studio 2 study 69 styl 7 stylistically 1 sub 6 subclass 1 subcontinent 1 subfield 1 sublinearly 1
submission 1 submodular 1 subnet 1 subnetwork 2 suboptimal 6 subsampl 1 subsequent 8 subsequently 5 subset 6 subspac 1
substantial 15 substantially 7 substantiat 3 substitut 2 subtask 1 subtract 1 subtyp 2 succes 21 success 2
successful 3 successfully 6 successiv 1 successor 1 suffer 3 suffic 1 sufficient 5 suggest 14 suit 9 suitability 1
suitabl 5 sum 1 summariz 9 summary 5 summer 1 super 4 supercomputer 1 superficial 1 superficially 1 superglu 1
superior 20 superiority 2 supernet 2 supervis 23 supervision 2 supplementary 1 support 22 sur 1 surfac 1 surg 2
surpas 4 surpass 18 surpris 3 surprisingly 3 surrogat 2 surround 1 survey 17 surviv 1 sustain 5 sustainabl 3 svd 3
svhn 1 svm 1 sweet 1 swh 1 swhid 1 swift 1 swin 2 switch 3 synergistic 1 synergy 1 synthesi 3 synthesiz 4 synthetic 12
synthllm 1 system 37 systematic 8 systematically 8 systemic 2 t 5 t5 4 tackl 13 tagg 1 tailor 7 tak 11 taken 3 tang 1
taolinwei 1 tap 1 target 22 task 131 taxonomy 9 tb 1 teach 2 teacher 2 team 4 technical 8 techniqu 43 technological 1
technology 5 tediou 2 telescop 1 temperatur 2 templat 3 temporal 5 temporally 1 ten 4 tend 7 tendency 1 tension 1
tensor 2 term 25 terrypei 1 tesla 1 test 19 testb 1 texa 1 text 59 textbook 1 textit 1 textual 9 textur 2 thank 5
them 1 theorem 1 theoretic 1 theoretical 8 theory 3 therapeutic 1 therapy 1 thereby 9 therefor 12 think 1 third 2
thorough 6 thoroughly 2 though 9 thought 9 thousand 6 thre 23 threat 1 threshold 1 throughout 4 throughput 4 thu 15
thudm 1 ti 2 tie 1 tier 5 til 1 tim 49 timely 2 times1000 1 timesformer 1 timm 1 tiny 3 tinygpt 1 tinystory 1 tissu 1
tm 1 today 3 together 7 token 32 tokenformer 1 tokeniz 2 tokenizer 1 toleranc 1 tolerat 1 tomography 1 tool 11
toolbench 1 toolken 1 toolkengpt 1 toolkit 1 top 17 topic 5 topk 1 topology 1 topsi 1 toronto 1 total 2 toxicity 2
tps 1 tpu 1 trac 3 track 2 tractabl 4 trad 7 tradeoff 2 traditional 20 traditionally 3 trail 1 train 177 trainabl 15
trait 1 trajectory 3 tran 1 transcend 1 transcriptional 1 transfer 21 transferability 2 transferabl 4 transferr 3
transform 15 transformativ 1 transformer 37 transition 2 transl 8 translat 2 transmission 1 transparency 6
transparent 3 transport 3 trap 1 travers 1 tre 3 treat 5 treatment 2 tremendou 5 trend 11 tri 1 trial 1 trigger 2
trillion 7 trimodal 1 trivial 2 trough 1 tru 2 truly 1 trustworthines 1 trustworthy 1 truth 1 tsvit 1 tts 1 tue 1
tuition 1 tumor 2 tun 89 tunabl 2 tunnel 1 tupl 1 tur 2 turbo 2 turn 2 tutor 1 twelv 1 twic 1 twofold 2 typ 14
typical 3 typically 26 tyrannosauru 2 u 4 ubiquity 1 ultimately 3 ultra 3 unabl 1 unacceptabl 1 unachievabl 1
unaddress 1 unalterabl 1 unannotat 1 unanswer 1 unavailabl 2 unbias 1 uncertainty 1 unchart 1 unclear 4
unconditional 1 uncontrollabl 1 uncover 3 underconfident 1 underestimat 2 underexplor 3 undergo 3 underly 7
underperform 3 underperformanc 1 underpin 1 underpinn 2 underrepresent 2 underscor 7 understand 57 understood 1
undertak 2 undesir 1 undesirabl 1 undisclos 1 undiscover 1 unencumber 1 unexpect 1 unexplor 2 unforeseeabl 1
unfortunately 3 unfreez 1 uni 2 unific 1 uniform 4 uniformly 2 unify 7 unimodal 4 unimodality 1 unintentionally 1
uniqu 8 uniquely 1 uniref50 1 unit 1 unival 1 universal 5 unknown 3 unlabel 2 unlabell 1 unlearn 1 unlearnabl 1
unleash 1 unlik 15 unlock 6 unmet 1 unnatural 1 unnecessarily 1 unnormaliz 1 unprecedent 5 unpredictability 1
unquantiz 1 unravel 1 unrelat 1 unresolv 1 unsaf 1 unsatisfactory 1 unseen 5 unsolvabl 1 unstabl 2 unstructur 1
unsupervis 2 unsustainabl 2 untest 1 until 2 unusual 1 unveil 2 upcom 2 updat 15 updatabl 1 upload 1 upper 3 ups 1
upward 1 urban 2 urg 1 urgent 3 usa 1 usability 3 usabl 1 usag 7 use 7 useful 4 useles 1 user 18 uspto 1 usual 1
usually 5 utilis 1 utility 4 utiliz 34 v 7 v1 5 v100 2 v2 4 v3 1 v4 1 val 1 valid 6 validat 11 validity 1 valu 13
valuabl 5 vanish 1 vari 8 variabl 4 varianc 3 variant 18 variational 3 variety 14 variou 71 vary 15 vast 4 vastly 1
vaswani 1 vbi 1 ve 1 vector 6 vega 1 venu 1 verbal 1 verific 1 verifier 3 verify 3 versa 1 versatil 5 versatility 3
version 5 versu 1 vertical 1 vfm 1 vgg19 1 vi 1 viability 3 viabl 3 vic 1 victim 1 vicuna 3 video 12 view 6 vii 1
vim 1 virtual 2 virtuou 1 visibl 1 vision 42 visual 37 visually 1 vit 8 vital 2 viz 1 vlap 1 vlm 5 vlp 2 vocabulary 5
volum 7 vqa 1 vram 1 vsr 1 vtab 1 vtt 1 vulnerability 2 w 7 walk 1 wall 1 wanda 1 warm 1 warmup 1 washington 1 wav 2
weak 3 weaken 2 weaker 1 weakly 1 weakness 3 weather 2 web 7 websit 2 webvid 1 weight 37 wer 1 wheat 1 whenever 1
wherea 4 whereby 1 whit 2 whol 4 wid 24 widely 14 wider 3 widespread 8 width 1 wikipedia 1 wikitext 1 win 2 wind 1
window 2 winn 2 winner 1 winogrand 1 winter 1 wisdom 1 wisely 1 wit 1 withinmiaov 1 wlik 1 wmt 1 wmt22 1 wonderland 1
word 8 workflow 3 workload 1 world 24 wors 1 worth 1 would 8 wrapper 1 writ 6 written 3 wrong 2 wsd 1 wta 1 www 2 x 2
x2l 1 xjtu 1 xray 1 yang 1 year 10 yet 20 yfcc100m 2 yfcc15m 1 yield 13 yikuan8 1 yolox 1 yuliang 1 yunshan 1 zero 27
zh 1 zhiqiangzhongddu 1 ziqipang 1 zoo 1 zsl 1 zyxxmu 1
"""
