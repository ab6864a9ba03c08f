import ExerciseSupport
import Raft

extension Catalog {
    static let ch05 = ChapterExercises(chapter: 5, exercises: [])
}
