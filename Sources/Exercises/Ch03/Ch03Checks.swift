import ExerciseSupport
import Raft

extension Catalog {
    static let ch03 = ChapterExercises(chapter: 3, exercises: [])
}
